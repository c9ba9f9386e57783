"""Documents made with Qt: the study report as PDF."""
