# Exports the public data sets used by tests/model/test_survival*.py (R survival 3.5-3).
# Run: Rscript tests/data/survival/export_datasets.R  (from the repository root)
library(survival)
out <- "tests/data/survival"
w <- function(df, name) write.csv(df, file.path(out, name), row.names = FALSE, na = "")
w(data.frame(time = lung$time, event = lung$status - 1, sex = lung$sex, age = lung$age,
             ph_ecog = lung$ph.ecog), "lung.csv")
w(data.frame(time = veteran$time, event = veteran$status, trt = veteran$trt,
             celltype = as.character(veteran$celltype), karno = veteran$karno), "veteran.csv")
w(data.frame(time = ovarian$futime, event = ovarian$fustat, rx = ovarian$rx), "ovarian.csv")
w(data.frame(time = aml$time, event = aml$status, x = as.character(aml$x)), "aml.csv")
