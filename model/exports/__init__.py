"""What leaves Nadir for people: the study workbook, the report summary, pseudonymised
copies, and manuscript tables (Word, Excel, CSV).
"""
