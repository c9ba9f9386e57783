"""Qt item models that adapt model objects to tables, and the grid's cell input."""
