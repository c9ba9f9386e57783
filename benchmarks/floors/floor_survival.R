# The same survival summary in R, end to end: `Rscript --vanilla floor_survival.R TABLE`.
#
# What `main.py survival TABLE --time time --event event --group arm --json` gives, in
# R's survival package, reading the CSV included: Kaplan-Meier medians per group with
# the log-log band (survfit), the log-rank test (survdiff) and the Cox hazard ratio
# with Efron ties (summary(coxph)), printed. The survival row of benchmarks/run.py is
# measured against this whole Rscript run, in the same run (issue 19).
args <- commandArgs(trailingOnly = TRUE)
suppressPackageStartupMessages(library(survival))
d <- read.csv(args[1])
s <- Surv(d$time, d$event)
print(summary(survfit(s ~ d$arm, conf.type = "log-log"))$table)
print(survdiff(s ~ d$arm))
print(summary(coxph(s ~ d$arm, ties = "efron")))
