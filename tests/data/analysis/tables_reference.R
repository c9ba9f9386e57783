# Reference values for `table1` and `match` (shared/spec/analysis.md), written to
# tests/data/analysis/tables_reference.json, with the data sets as t1_*.csv and match_*.csv.
# R 4.2.2, survival 3.5-3, MatchIt 4.5.1, jsonlite 1.8.4 (Debian bookworm).
# Run: Rscript tests/data/analysis/tables_reference.R  (from the repository root)
#
# Table 1: summaries by mean, sd, quantile(type = 7), min, max; tests by chisq.test(correct =
# FALSE), fisher.test, wilcox.test(exact = FALSE, correct = TRUE) and kruskal.test; SMDs by
# the contract's formulas (tableone's, Yang and Dalton 2012), written out below.
#
# Matching: the scores are MatchIt::matchit's own (checked equal to glm's fitted values).
# The pairs are NOT MatchIt 4.5.1's: Debian's MatchIt 4.5.1 takes an integer abs of the score
# difference in its C++ nn_matchC (fixed upstream in 4.5.4, MatchIt issue 163). That makes
# every difference below 1 equal to 0, so it ignores calipers, and, as this script found,
# also without a caliper it does not take the nearer of the two neighbouring controls (on
# lalonde, treated NSW42, NSW44, NSW179, NSW116, ... get a farther control than the nearest
# one). The defect is in compiled C++, not in R-level code, so the installed package cannot
# be patched from R. `greedy()` below is therefore a plain-R reimplementation of the rule of
# MatchIt 4.5.4+ and of the contract (m.order = "largest", treated ties in file order,
# nearest unused control, control ties earlier in file, no replacement, caliper inclusive);
# it gives every reference pair, with and without a caliper. `matchit_451` records how many
# of MatchIt 4.5.1's pairs it reproduces, and which treated differ (the defect above, and
# equal-score control ties, which the contract says MatchIt breaks its own way).
# The caliper-sd width is K * sd(distance) over all rows, as MatchIt's process.caliper
# (sd(distance[!discarded])).
suppressMessages({library(survival); library(MatchIt); library(jsonlite)})
out <- "tests/data/analysis"
write_csv <- function(d, name) write.csv(d, file.path(out, name), row.names = FALSE, na = "NA")

# ---- data sets ------------------------------------------------------------------------
pbc <- survival::pbc[!is.na(survival::pbc$trt), c("id", "trt", "age", "sex", "ascites",
  "hepato", "spiders", "edema", "bili", "chol", "albumin", "copper", "platelet", "protime",
  "stage")]
colon <- survival::colon[survival::colon$etype == 2, c("id", "rx", "sex", "age", "obstruct",
  "perfor", "adhere", "nodes", "differ", "extent", "surg", "node4")]
veteran <- survival::veteran[, c("trt", "celltype", "karno", "diagtime", "age", "prior")]
lung <- survival::lung[, c("inst", "sex", "age", "ph.ecog", "ph.karno", "wt.loss")]
names(lung) <- c("inst", "sex", "age", "ph_ecog", "ph_karno", "wt_loss")
write_csv(pbc, "t1_pbc.csv"); write_csv(colon, "t1_colon.csv")
write_csv(veteran, "t1_veteran.csv"); write_csv(lung, "t1_lung.csv")
lalonde <- cbind(id = rownames(MatchIt::lalonde), MatchIt::lalonde)
write_csv(lalonde, "match_lalonde.csv")

# ---- Table 1 ----------------------------------------------------------------------------
summ <- function(x) {
  if (length(x) == 0) return(list(n = 0))
  q <- quantile(x, c(0.25, 0.5, 0.75), type = 7, names = FALSE)
  list(n = length(x), mean = mean(x), sd = if (length(x) > 1) sd(x) else NA, median = q[2],
       q1 = q[1], q3 = q[3], min = min(x), max = max(x))
}
smd_num <- function(a, b) abs(mean(a) - mean(b)) / sqrt((var(a) + var(b)) / 2)
smd_cat <- function(t1, t2) {  # counts per level in level order, two groups
  p1 <- (t1 / sum(t1))[-1]; p2 <- (t2 / sum(t2))[-1]
  S <- ((diag(p1, length(p1)) - p1 %o% p1) + (diag(p2, length(p2)) - p2 %o% p2)) / 2
  d <- p1 - p2
  sqrt(drop(t(d) %*% solve(S) %*% d))
}
levels_of <- function(x, factor) {  # code-point order; numeric factors numerically
  u <- unique(as.character(x[!is.na(x)]))
  if (is.numeric(x)) u[order(as.numeric(u))] else sort(u, method = "radix")
}
cat_test <- function(tab) {
  tab <- tab[rowSums(tab) > 0, colSums(tab) > 0, drop = FALSE]
  if (nrow(tab) < 2 || ncol(tab) < 2) return(list(test = NA, p = NA))
  chi <- suppressWarnings(chisq.test(tab, correct = FALSE))
  if (all(chi$expected >= 5)) return(list(test = "chi-square", p = chi$p.value))
  list(test = "fisher", p = fisher.test(tab, workspace = 2e8)$p.value)
}
num_test <- function(x, g) {
  keep <- !is.na(x); x <- x[keep]; g <- droplevels(g[keep])
  if (nlevels(g) < 2 || length(unique(x)) < 2) return(list(test = NA, p = NA))
  if (nlevels(g) == 2) {
    return(list(test = "wilcoxon", p = wilcox.test(x[g == levels(g)[1]], x[g == levels(g)[2]],
                                                   exact = FALSE, correct = TRUE)$p.value))
  }
  list(test = "kruskal-wallis", p = kruskal.test(x, g)$p.value)
}
table1_ref <- function(d, group, vars, factors = character()) {
  g <- factor(as.character(d[[group]]), levels = unique(as.character(d[[group]])))
  keys <- c(levels(g), "overall")
  variables <- lapply(vars, function(v) {
    x <- d[[v]]
    numeric <- is.numeric(x) && !(v %in% factors)
    sel <- function(k) if (k == "overall") rep(TRUE, length(x)) else g == k
    missing <- setNames(lapply(keys, function(k) sum(is.na(x[sel(k)]))), keys)
    entry <- list(name = v, type = if (numeric) "numeric" else "categorical", missing = missing)
    if (numeric) {
      entry$summary <- setNames(lapply(keys, function(k) summ(x[sel(k) & !is.na(x)])), keys)
      entry <- c(entry, num_test(x, g))
      entry$smd <- if (nlevels(g) == 2) smd_num(na.omit(x[g == keys[1]]),
                                                na.omit(x[g == keys[2]])) else NA
    } else {
      lev <- levels_of(x)
      f <- factor(as.character(x), levels = lev)
      tabs <- setNames(lapply(keys, function(k) table(f[sel(k)])), keys)
      entry$levels <- lapply(seq_along(lev), function(i) {
        c(list(level = lev[i]), setNames(lapply(keys, function(k) {
          list(n = tabs[[k]][[i]], pct = 100 * tabs[[k]][[i]] / sum(tabs[[k]]))
        }), keys))
      })
      entry <- c(entry, cat_test(table(f, g)))
      entry$smd <- if (nlevels(g) == 2 && length(lev) > 1) smd_cat(tabs[[1]], tabs[[2]]) else NA
    }
    entry
  })
  n <- setNames(lapply(keys, function(k) if (k == "overall") length(g) else sum(g == k)), keys)
  list(groups = levels(g), n = n, variables = variables)
}
t1 <- list(
  pbc = table1_ref(pbc, "trt", setdiff(names(pbc), c("id", "trt")), c("edema", "stage")),
  colon = table1_ref(colon, "rx", setdiff(names(colon), c("id", "rx")), c("differ", "extent")),
  veteran = table1_ref(veteran, "trt", setdiff(names(veteran), "trt"), "prior"),
  lung = table1_ref(lung, "sex", setdiff(names(lung), "sex"), "ph_ecog")
)

# ---- matching ---------------------------------------------------------------------------
f <- treat ~ age + educ + race + married + nodegree + re74 + re75
m <- matchit(f, data = MatchIt::lalonde, method = "nearest", distance = "glm",
             m.order = "largest", replace = FALSE)
score <- m$distance
treated <- MatchIt::lalonde$treat == 1
ids <- rownames(MatchIt::lalonde)
greedy <- function(score, treated, caliper = Inf) {  # MatchIt's rule, in plain R
  order_t <- which(treated)[order(-score[treated], which(treated))]
  free <- which(!treated); pairs <- list(); unmatched <- character()
  for (t in order_t) {
    d <- abs(score[free] - score[t])
    if (length(free) == 0 || min(d) > caliper) { unmatched <- c(unmatched, ids[t]); next }
    best <- free[d == min(d)][1]
    pairs[[length(pairs) + 1]] <- c(ids[t], ids[best]); free <- setdiff(free, best)
  }
  list(pairs = pairs, unmatched = unmatched)
}
mm <- m$match.matrix[, 1]
order_t <- which(treated)[order(-score[treated], which(treated))]
matchit_pairs <- lapply(ids[order_t], function(t) c(t, mm[[t]]))
stopifnot(isTRUE(all.equal(unname(score), unname(fitted(glm(f, binomial, MatchIt::lalonde))),
                           tolerance = 1e-12)))
plain <- greedy(score, treated)
same <- vapply(seq_along(plain$pairs), function(i) {
  identical(unname(plain$pairs[[i]]), unname(matchit_pairs[[i]]))
}, logical(1))
matchit_451 <- list(pairs = length(same), same = sum(same),
                    differing_treated = vapply(plain$pairs[!same], `[`, "", 1))
X <- model.matrix(f, MatchIt::lalonde)[, -1]
X <- cbind(X, score = score)
balance <- function(pairs) {
  used <- ids %in% unlist(pairs)
  lapply(colnames(X), function(v) {
    x <- X[, v]
    s <- function(a, b) { den <- sqrt((var(a) + var(b)) / 2); if (den == 0) NA else abs(mean(a) - mean(b)) / den }
    list(term = v, mean_before = list(treated = mean(x[treated]), control = mean(x[!treated])),
         mean_after = list(treated = mean(x[treated & used]), control = mean(x[!treated & used])),
         smd_before = s(x[treated], x[!treated]), smd_after = s(x[treated & used], x[!treated & used]))
  })
}
caliper_case <- function(width) {
  r <- greedy(score, treated, width)
  list(caliper = width, pairs = r$pairs, unmatched = r$unmatched, balance = balance(r$pairs))
}
matching <- list(
  scores = unname(score), ids = ids,
  matchit_451 = matchit_451,
  none = list(pairs = plain$pairs, unmatched = character(), balance = balance(plain$pairs)),
  caliper_abs = caliper_case(0.01),
  caliper_sd = caliper_case(0.1 * sd(score))
)
write_json(list(table1 = t1, match = matching), file.path(out, "tables_reference.json"),
           auto_unbox = TRUE, digits = NA, na = "null", null = "null", pretty = FALSE)
cat("wrote", file.path(out, "tables_reference.json"), "\n")
