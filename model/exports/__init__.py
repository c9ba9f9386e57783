"""What leaves Nadir for people: the study workbook, the report summary, and pseudonymised
copies.
"""
