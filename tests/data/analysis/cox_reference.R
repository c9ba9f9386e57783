# Exports the public data sets and prints the reference values of the analysis contract's
# `cox` and `forest` sections (shared/spec/analysis.md) that tests/model/stats/ hold Nadir to.
# R 4.2.2, survival 3.5-3. Run from the repository root:
#   Rscript tests/data/analysis/cox_reference.R
# Writes lung.csv, veteran.csv, colon.csv, pbc.csv, monotone.csv and cox_reference.csv
# (columns case, quantity, term, value; one row per number) beside this script.
suppressPackageStartupMessages(library(survival))
out <- "tests/data/analysis"
w <- function(df, name) write.csv(df, file.path(out, name), row.names = FALSE, na = "")

# ---- data sets, as the commands read them (blank = missing) -----------------------------
lung_d <- data.frame(time = lung$time, event = lung$status - 1, inst = lung$inst,
                     age = lung$age, sex = lung$sex, ph_ecog = lung$ph.ecog,
                     ph_karno = lung$ph.karno, wt_loss = lung$wt.loss)
veteran_d <- data.frame(time = veteran$time, event = veteran$status, trt = veteran$trt,
                        celltype = as.character(veteran$celltype), karno = veteran$karno,
                        age = veteran$age, prior = veteran$prior)
colon_d <- with(subset(colon, etype == 2),
                data.frame(id = id, time = time, event = status, rx = as.character(rx),
                           sex = sex, age = age, nodes = nodes, extent = extent,
                           differ = differ))
pbc_r <- subset(pbc, !is.na(trt))
pbc_d <- data.frame(id = pbc_r$id, time = pbc_r$time, event = as.integer(pbc_r$status == 2),
                    trt = pbc_r$trt, age = pbc_r$age, sex = as.character(pbc_r$sex),
                    edema = pbc_r$edema, bili = pbc_r$bili, albumin = pbc_r$albumin,
                    stage = pbc_r$stage)
# Monotone likelihood: cohort C holds every censored patient of veteran and no event.
monotone_d <- data.frame(time = veteran$time, event = veteran$status,
                         cohort = ifelse(veteran$status == 0, "C",
                                         ifelse(veteran$trt == 1, "A", "B")),
                         karno = veteran$karno)
w(lung_d, "lung.csv"); w(veteran_d, "veteran.csv"); w(colon_d, "colon.csv")
w(pbc_d, "pbc.csv"); w(monotone_d, "monotone.csv")

# ---- helpers ------------------------------------------------------------------------------
values <- list()
put <- function(case, quantity, term, value) {
  values[[length(values) + 1]] <<- data.frame(case = case, quantity = quantity, term = term,
                                              value = sprintf("%.17g", value))
}
# Levels as the contract orders them: by code point, or numerically for numbers; ref first.
lev <- function(x, ref = NULL) {
  u <- unique(x[!is.na(x)])
  u <- if (is.numeric(u)) sort(u) else sort(u, method = "radix")  # radix: C locale, code points
  if (!is.null(ref)) u <- c(ref, setdiff(u, ref))
  u
}
report_model <- function(case, fit, covariates) {
  s <- summary(fit)$coefficients
  for (term in rownames(s)) {
    put(case, "coef", term, s[term, "coef"]); put(case, "se", term, s[term, "se(coef)"])
    put(case, "p", term, s[term, "Pr(>|z|)"])
  }
  put(case, "n", "", fit$n); put(case, "events", "", fit$nevent)
  put(case, "loglik", "", fit$loglik[2]); put(case, "loglik_null", "", fit$loglik[1])
  lr <- 2 * (fit$loglik[2] - fit$loglik[1]); df <- sum(!is.na(coef(fit)))
  put(case, "lr_chi2", "", lr); put(case, "lr_df", "", df)
  put(case, "lr_p", "", pchisq(lr, df, lower.tail = FALSE))
  d1 <- drop1(fit, test = "Chisq")
  for (cov in covariates) {
    put(case, "drop1_p", cov, d1[cov, "Pr(>Chi)"]); put(case, "drop1_df", cov, d1[cov, "Df"])
  }
}
complete <- function(d, cols) d[complete.cases(d[, cols]), ]

# ---- cox ----------------------------------------------------------------------------------
d <- complete(lung_d, c("time", "event", "age", "sex", "ph_ecog", "wt_loss"))
report_model("lung_multi", coxph(Surv(time, event) ~ age + sex + ph_ecog + wt_loss, d,
                                 ties = "efron"), c("age", "sex", "ph_ecog", "wt_loss"))

d <- complete(lung_d, c("time", "event", "age", "ph_ecog"))
d$ph_ecog <- factor(d$ph_ecog, levels = lev(d$ph_ecog, ref = 1))
report_model("lung_factor_ref", coxph(Surv(time, event) ~ age + ph_ecog, d), c("age", "ph_ecog"))

d <- veteran_d
d$celltype <- factor(d$celltype, levels = lev(d$celltype, ref = "squamous"))
report_model("veteran_celltype", coxph(Surv(time, event) ~ celltype + karno + trt, d),
             c("celltype", "karno", "trt"))

d <- complete(colon_d, c("time", "event", "rx", "age", "nodes", "extent"))
d$rx <- factor(d$rx, levels = lev(d$rx))
report_model("colon_strata", coxph(Surv(time, event) ~ rx + age + nodes + strata(extent), d),
             c("rx", "age", "nodes"))

d <- complete(pbc_d, c("time", "event", "age", "bili", "albumin", "edema", "sex", "stage"))
d$edema <- factor(d$edema, levels = lev(d$edema)); d$sex <- factor(d$sex, levels = lev(d$sex))
d$stage <- factor(d$stage, levels = lev(d$stage, ref = 4))
report_model("pbc_multi", coxph(Surv(time, event) ~ age + bili + albumin + edema + sex + stage,
                                d), c("age", "bili", "albumin", "edema", "sex", "stage"))

d <- complete(lung_d, c("time", "event", "age", "sex", "inst"))
report_model("lung_strata_inst", coxph(Surv(time, event) ~ age + sex + strata(inst), d),
             c("age", "sex"))

d <- monotone_d; d$cohort <- factor(d$cohort, levels = lev(d$cohort))
# R warns "Loglik converged before variable 2; coefficient may be infinite" (here and in
# drop1's refit without karno).
suppressWarnings(report_model("monotone", coxph(Surv(time, event) ~ cohort + karno, d),
                              c("cohort", "karno")))

for (cov in c("age", "sex", "ph_ecog", "ph_karno", "wt_loss")) {
  d <- complete(lung_d, c("time", "event", cov))
  report_model(paste0("lung_univariable_", cov),
               coxph(as.formula(paste("Surv(time, event) ~", cov)), d), cov)
}

# ---- forest -------------------------------------------------------------------------------
forest <- function(case, data, group, subgroups) {
  groups <- unique(data[[group]])
  data$g <- as.integer(data[[group]] == groups[2])
  hr <- function(rows, level) {
    n <- table(factor(rows$g, levels = 0:1)); e <- tapply(rows$event, factor(rows$g, 0:1), sum)
    for (i in 1:2) {
      put(case, paste0("n_", i), level, n[[i]])
      put(case, paste0("events_", i), level, if (is.na(e[[i]])) 0 else e[[i]])
    }
    if (any(n == 0) || any(is.na(e)) || any(e == 0)) return(FALSE)
    # A coefficient that grows without bound (R warns that it may be infinite, or runs out
    # of iterations) has no hazard ratio, as in the contract's `cox` section.
    diverged <- FALSE
    fit <- withCallingHandlers(coxph(Surv(time, event) ~ g, rows), warning = function(w) {
      diverged <<- TRUE; invokeRestart("muffleWarning")
    })
    if (diverged) { put(case, "diverged", level, 1); return(FALSE) }
    s <- summary(fit)
    put(case, "hazard_ratio", level, s$conf.int[1, "exp(coef)"])
    put(case, "hr_ci_low", level, s$conf.int[1, "lower .95"])
    put(case, "hr_ci_high", level, s$conf.int[1, "upper .95"])
    put(case, "p", level, s$coefficients[1, "Pr(>|z|)"])
    TRUE
  }
  hr(data, "")
  for (sub in subgroups) {
    with_hr <- c()
    for (l in lev(data[[sub]])) {
      if (hr(data[!is.na(data[[sub]]) & data[[sub]] == l, ], paste0(sub, "=", l)))
        with_hr <- c(with_hr, l)
    }
    if (length(with_hr) < 2) next
    rows <- data[!is.na(data[[sub]]) & data[[sub]] %in% with_hr, ]
    rows$A <- factor(rows[[sub]], levels = with_hr)
    a <- anova(coxph(Surv(time, event) ~ g + A, rows), coxph(Surv(time, event) ~ g * A, rows))
    put(case, "interaction_p", sub, a[2, "Pr(>|Chi|)"]); put(case, "interaction_df", sub, a[2, "Df"])
  }
}
forest("veteran_forest", veteran_d, "trt", c("celltype", "prior"))
forest("lung_forest", lung_d, "sex", c("ph_ecog", "inst"))
forest("pbc_forest", pbc_d, "trt", c("sex", "edema", "stage"))

refs <- do.call(rbind, values)
write.csv(refs, file.path(out, "cox_reference.csv"), row.names = FALSE, quote = TRUE)
cat("wrote", nrow(refs), "reference values\n")
