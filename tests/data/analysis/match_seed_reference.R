# Reference values for matching the demo cohort (issue 18: "a cohort like the seed's"),
# written to tests/data/analysis/match_seed_reference.json from match_seed.csv (the demo's
# flat table, model.demo.cohort.demo_study(), as model/analyses/table.py builds it).
# R 4.2.2, MatchIt 4.5.1, jsonlite 1.8.4 (Debian bookworm).
# Run: Rscript tests/data/analysis/match_seed_reference.R  (from the repository root)
#
# Scores: MatchIt::matchit's glm distance (checked equal to glm's fitted values). Pairs: the
# plain-R rule of MatchIt 4.5.4+ and of the contract (see tables_reference.R for why not
# 4.5.1's own pairs: its integer abs ignores calipers, MatchIt issue 163), at caliper 0.05 on
# the score (the dTACE + ICI cohort's) and at 0.2 SD of the score. Factor levels as the
# study declares them (the first the reference), not R's alphabetical default.
suppressMessages({library(MatchIt); library(jsonlite)})
out <- "tests/data/analysis"
d <- read.csv(file.path(out, "match_seed.csv"), stringsAsFactors = FALSE)
d$sex <- factor(d$sex, levels = c("F", "M"))
d$histology_group <- factor(d$histology_group,
                            levels = c("ICI-sensitive", "intermediate", "ICI-resistant"))
d$ecog <- factor(d$ecog, levels = c("0", "1", "2"))
d$size_over_10cm <- factor(d$size_over_10cm, levels = c("no", "yes"))
d$treat <- as.integer(d$arm == "Immunotherapy + dTACE")
f <- treat ~ age + sex + histology_group + ecog + prior_lines + size_over_10cm
m <- matchit(f, data = d, method = "nearest", distance = "glm", m.order = "largest",
             replace = FALSE)
score <- unname(m$distance)
stopifnot(isTRUE(all.equal(score, unname(fitted(glm(f, binomial, d))), tolerance = 1e-12)))
treated <- d$treat == 1
ids <- d$id
greedy <- function(caliper = Inf) {  # the contract's rule, in plain R
  order_t <- which(treated)[order(-score[treated], which(treated))]
  free <- which(!treated); pairs <- list(); unmatched <- character()
  for (t in order_t) {
    dist <- abs(score[free] - score[t])
    if (length(free) == 0 || min(dist) > caliper) { unmatched <- c(unmatched, ids[t]); next }
    best <- free[dist == min(dist)][1]
    pairs[[length(pairs) + 1]] <- c(ids[t], ids[best]); free <- setdiff(free, best)
  }
  list(pairs = pairs, unmatched = unmatched)
}
X <- cbind(model.matrix(f, d)[, -1], score = score)
balance <- function(pairs) {
  used <- ids %in% unlist(pairs)
  s <- function(a, b) { den <- sqrt((var(a) + var(b)) / 2); if (den == 0) NA else abs(mean(a) - mean(b)) / den }
  lapply(colnames(X), function(v) {
    x <- X[, v]
    list(term = v, mean_before = list(treated = mean(x[treated]), control = mean(x[!treated])),
         mean_after = list(treated = mean(x[treated & used]), control = mean(x[!treated & used])),
         smd_before = s(x[treated], x[!treated]), smd_after = s(x[treated & used], x[!treated & used]))
  })
}
case <- function(width) {
  r <- greedy(width)
  list(caliper = width, pairs = r$pairs, unmatched = r$unmatched, balance = balance(r$pairs))
}
write_json(list(ids = ids, scores = score, caliper_abs = case(0.05),
                caliper_sd = case(0.2 * sd(score))),
           file.path(out, "match_seed_reference.json"),
           auto_unbox = TRUE, digits = NA, na = "null", null = "null", pretty = FALSE)
cat("wrote", file.path(out, "match_seed_reference.json"), "\n")
