"""The interchange files (interchange spec): CSV folders and .xlsx workbooks read with every
problem named, and written back.
"""
