"""The paper's analyses of a study: analysis sets, the flat table of one row per patient, Table
1, Cox and forest results, and matched sets.
"""
