# The test of R/read_olika.R, run by .ci/run: Rscript R/tests/test_read_olika.R [path/to/olika]
# It writes a sweep with olika, reads it back, checks every value against the CSV text, and checks
# that a damaged folder, an unfinished one and one that is not a results folder are refused with
# clear errors.

args <- commandArgs(trailingOnly = TRUE)
olika <- if (length(args) > 0) args[1] else "target/release/olika"
source(file.path("R", "read_olika.R"))

failures <- 0
check <- function(ok, what) {
  if (!isTRUE(ok)) {
    failures <<- failures + 1
    cat("FAIL:", what, "\n")
  } else {
    cat("ok:", what, "\n")
  }
}
# The error read_olika raises for `expr`, checked to be an olika_error containing each of `words`.
refused <- function(expr, words, what) {
  e <- tryCatch({ force(expr); NULL }, olika_error = function(e) e)
  msg <- if (is.null(e)) "(no error)" else conditionMessage(e)
  check(!is.null(e) && all(vapply(words, grepl, TRUE, x = msg, fixed = TRUE)),
        paste0(what, ": ", msg))
}

work <- tempfile("olika-r-")
dir.create(work)
folder <- file.path(work, "sweep")
status <- system2(olika, c("sweep", "scenarios/sweeps/frequency_facilitation.toml", "--quiet",
                           "--no-plots", "--replications", "2", "--set", "steps=12",
                           "--innovations", "-o", folder))
check(status == 0, "olika wrote a sweep")
manifest <- read_olika_manifest(folder)
check(length(manifest$point_columns) == 2, "the manifest names two point columns")

# Every cell of runs.csv, as text, against the data frame: numbers equal as parsed, the seed as
# text (64 bits do not fit a double), empty cells NA.
same_as_text <- function(table, file) {
  lines <- readLines(file.path(folder, file))
  head <- strsplit(lines[1], ",", fixed = TRUE)[[1]]
  cells <- lapply(strsplit(lines[-1], ",", fixed = TRUE), function(r) c(r, rep("", length(head) - length(r))))
  cells <- do.call(rbind, cells)
  ok <- identical(names(table)[seq_along(head)], head) && nrow(table) == nrow(cells)
  for (j in seq_along(head)) {
    text <- cells[, j]
    value <- table[[head[j]]]
    if (is.character(value)) {
      ok <- ok && identical(ifelse(text == "", NA_character_, text), value)
    } else if (is.logical(value) && all(is.na(value))) {
      ok <- ok && all(text == "")
    } else if (is.logical(value)) {
      ok <- ok && identical(as.logical(toupper(text)), value)
    } else {
      number <- ifelse(text == "", NA_real_, suppressWarnings(as.numeric(text)))
      ok <- ok && identical(is.na(number), is.na(value)) && all(number == value, na.rm = TRUE)
    }
    if (!ok) {
      cat("  column", head[j], "differs\n")
      break
    }
  }
  ok
}

for (engine in c(TRUE, FALSE)) {
  options(read_olika.data.table = engine)
  label <- if (engine && requireNamespace("data.table", quietly = TRUE)) "data.table" else "read.csv"
  runs <- read_olika(folder)
  check(nrow(runs) == 40 && same_as_text(runs, "runs.csv"), paste(label, "runs.csv: every value as written"))
  check(is.character(runs$seed) && any(nchar(runs$seed) >= 17), paste(label, "seeds are whole 64-bit text"))
  check(identical(attr(runs, "manifest")$plan_hash, manifest$plan_hash), paste(label, "the manifest comes along"))
  summary <- read_olika(folder, "summary")
  check(same_as_text(summary, "summary.csv"), paste(label, "summary.csv: every value as written"))
  series <- read_olika(folder, "series")
  raw <- read_olika(folder, "series", join = FALSE)
  at <- match(series$run_id, runs$run_id)
  check(nrow(series) == 40 * 13 &&
          identical(names(series)[1:6], c("run_id", "point", "replication", "seed", manifest$point_columns)) &&
          identical(series$seed, runs$seed[at]) &&
          identical(series[[manifest$point_columns[1]]], runs[[manifest$point_columns[1]]][at]) &&
          identical(series[[manifest$point_columns[2]]], runs[[manifest$point_columns[2]]][at]),
        paste(label, "series: each row with its run's seed and parameters"))
  check(same_as_text(raw, "series.csv"), paste(label, "series.csv unjoined: every value as written"))
  innovations <- read_olika(folder, "innovations")
  check(nrow(innovations) > 0 && all(manifest$point_columns %in% names(innovations)),
        paste(label, "innovations: joined"))
}
options(read_olika.data.table = NULL)

# Refusals, each on a copy.
copy_of <- function(name) {
  to <- file.path(work, name)
  dir.create(to)
  file.copy(list.files(folder, full.names = TRUE), to)
  to
}
damaged <- copy_of("damaged")
text <- readLines(file.path(damaged, "runs.csv"))
text[3] <- sub(",ok,", ",failed,", text[3], fixed = TRUE)
writeLines(text, file.path(damaged, "runs.csv"))
refused(read_olika(damaged), c("runs.csv", "changed after olika wrote it", "SHA-256"), "a value edited")
check(nrow(read_olika(damaged, verify = FALSE)) == 40, "verify = FALSE reads it all the same")
refused(read_olika(damaged, "series"), c("runs.csv", "changed after olika wrote it"),
        "the joined runs.csv is checked too")
cut <- copy_of("cut")
bytes <- readBin(file.path(cut, "series.csv"), "raw", file.size(file.path(cut, "series.csv")))
writeBin(bytes[1:(length(bytes) %/% 2)], file.path(cut, "series.csv"))
refused(read_olika(cut, "series"), c("series.csv", "changed after olika wrote it"), "a table cut short")
gone <- copy_of("gone")
invisible(file.remove(file.path(gone, "venues.csv")))
refused(read_olika(gone, "venues"), c("venues.csv", "missing"), "a table removed")
refused(read_olika(folder, "partnerships"), c("no partnerships table"), "a table not recorded")
refused(read_olika(folder, "nonsense"), c("table must be one of"), "an unknown table")

unfinished <- copy_of("unfinished")
m <- jsonlite::read_json(file.path(unfinished, "manifest.json"))
m$complete <- FALSE
jsonlite::write_json(m, file.path(unfinished, "manifest.json"), auto_unbox = TRUE, digits = NA)
refused(read_olika(unfinished), c("did not finish", "--resume"), "an unfinished folder")

old <- copy_of("old")
m <- jsonlite::read_json(file.path(old, "manifest.json"))
m$sha256 <- NULL
jsonlite::write_json(m, file.path(old, "manifest.json"), auto_unbox = TRUE, digits = NA)
refused(read_olika(old), c("no SHA-256", "verify = FALSE"), "a folder without SHA-256")

not_results <- file.path(work, "notes")
dir.create(not_results)
writeLines("my notes", file.path(not_results, "runs.csv"))
refused(read_olika(not_results), c("not a results folder", "no manifest.json"), "a folder of other files")
other <- file.path(work, "other")
dir.create(other)
writeLines('{"tool": "something else"}', file.path(other, "manifest.json"))
refused(read_olika(other), c("not an olika manifest"), "another tool's manifest")
broken <- file.path(work, "broken")
dir.create(broken)
writeLines('{"tool": "olika", ', file.path(broken, "manifest.json"))
refused(read_olika(broken), c("not an olika manifest"), "a manifest cut short")
refused(read_olika(file.path(work, "absent")), c("not a folder"), "a path that is not there")

unlink(work, recursive = TRUE)
if (failures > 0) {
  cat(failures, "check(s) failed\n")
  quit(status = 1)
}
cat("all checks passed\n")
