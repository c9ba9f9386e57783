# Prints the reference values hard-coded in tests/model/test_response_rates*.py (R 4.2.2, stats).
# Run: Rscript tests/data/survival/response_reference.R
options(digits = 15)
for (kn in list(c(0, 10), c(1, 10), c(5, 20), c(10, 10), c(23, 46), c(7, 33)))
  cat(kn, binom.test(kn[1], kn[2])$conf.int, "\n")
cat(binom.test(5, 20, conf.level = 0.9)$conf.int, "\n")
print(fisher.test(matrix(c(3, 9, 7, 4), 2, byrow = TRUE))$p.value)            # 2 x 2, small
print(chisq.test(matrix(c(20, 30, 35, 15), 2, byrow = TRUE), correct = FALSE))  # 2 x 2, large
print(fisher.test(matrix(c(2, 8, 5, 5, 6, 4), 3, byrow = TRUE))$p.value)       # 3 x 2, small
print(chisq.test(matrix(c(20, 30, 35, 15, 25, 25), 3, byrow = TRUE), correct = FALSE))
