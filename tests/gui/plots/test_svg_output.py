"""Qt's SVG rewritten for other programs (gui/plots/svg_output.py): transforms multiplied out of
non-scaling strokes, touching lines joined, every group rewritten at once (issue 19)."""

from gui.plots.svg_output import clean_svg

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<svg width="10mm" height="10mm" viewBox="0 0 10 10"'
    ' xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny">\n'
)


def _cleaned(tmp_path, body: str) -> str:
    path = tmp_path / "figure.svg"
    path.write_text(HEAD + body + "</svg>\n", encoding="utf-8")
    clean_svg(path)
    return path.read_text(encoding="utf-8")


def test_each_groups_transform_is_multiplied_into_its_own_shapes(tmp_path):
    marker = (
        '<g fill="red" stroke="black" transform="matrix({s},0,0,{s},{x},{y})">'
        '<path vector-effect="non-scaling-stroke" d="M-0.5,0.5 L0,-0.5 L0.5,0.5 Z "/></g>'
    )
    line = (
        '<g fill="none" stroke="blue" transform="matrix(2,0,0,-4,1,9)">'
        '<polyline vector-effect="non-scaling-stroke" fill="none" points="0,0 1,0.25"/></g>'
    )
    text = _cleaned(
        tmp_path, marker.format(s=8, x=1, y=2) + line + marker.format(s=2, x=0.0004, y=-1)
    )
    assert "matrix" not in text and "non-scaling-stroke" not in text
    assert 'd="M -3,6 L 1,-2 L 5,6 Z"' in text
    assert 'points="1,9 3,8"' in text
    assert 'd="M -1,0 L 0,-2 L 1,0 Z"' in text  # 0.0004 is written 0


def test_consecutive_touching_lines_become_one_and_the_others_keep_their_order(tmp_path):
    lines = ["0,0 1,1", "1,1 2,0", "2,0 3,3", "5,5 6,6", "6,6 7,7"]
    body = "".join(f'<polyline fill="none" points="{p}"/>' for p in lines)
    text = _cleaned(tmp_path, f'<g stroke="black">{body}<rect width="1" height="1"/></g>')
    assert text.count("<polyline") == 2
    first, second = text.index('points="0,0 1,1 2,0 3,3"'), text.index('points="5,5 6,6 7,7"')
    assert first < second < text.index("<rect")


def test_a_group_with_a_relative_path_command_keeps_its_transform(tmp_path):
    body = (
        '<g stroke="black" transform="matrix(2,0,0,2,0,0)">'
        '<path vector-effect="non-scaling-stroke" d="M0,0 l1,1"/></g>'
    )
    assert "matrix(2,0,0,2,0,0)" in _cleaned(tmp_path, body)
