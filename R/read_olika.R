# read_olika(): an olika results folder in R, checked first.
#
#   source("R/read_olika.R")
#   runs   <- read_olika("results/baseline-20261207-013000")            # one row per run
#   series <- read_olika("results/my-sweep", "series")                  # with the swept values
#   m      <- read_olika_manifest("results/my-sweep")                   # what made the folder
#
# Needs base R, jsonlite, and one of digest or openssl for SHA-256 (R >= 4.5 has
# tools::sha256sum and needs neither); data.table when installed reads large tables faster, and
# arrow reads a folder written with `--tables parquet`. On Debian and Ubuntu:
#   apt-get install r-base-core r-cran-jsonlite r-cran-digest r-cran-data.table
#
# What is checked (each failure is an error of class "olika_error" naming the folder or file):
# the folder has olika's manifest.json and its command finished; every file read has a SHA-256 in
# the manifest (olika writes one beside its FNV checksum since this reader exists), and it matches.
# Columns that identify runs are whole numbers; `seed` is text, since a 64-bit seed does not fit in
# R's numbers (a double keeps 53 bits); empty cells are NA. options(read_olika.data.table = FALSE)
# reads with base R's read.csv even where data.table is installed (the same data frame, slower). Per-run tables (series, venues,
# innovations, partnerships, network_nodes, network_edges) get the run's `seed` and its point's
# parameters (the manifest's `point_columns`: swept paths, or `strategy`) joined from runs.csv, so
# that every row says which parameters made it.

olika_tables <- c(
  "runs", "series", "summary", "venues", "innovations", "partnerships", "network_nodes",
  "network_edges", "compare", "sensitivity", "portfolios", "budget_curve", "evaluations",
  "particles", "posterior", "generations"
)

olika_per_run <- c("series", "venues", "innovations", "partnerships", "network_nodes", "network_edges")

olika_stop <- function(...) {
  message <- paste0(...)
  stop(structure(class = c("olika_error", "error", "condition"),
                 list(message = message, call = NULL)))
}

# The SHA-256 of a file as 64 hex digits, with what this R has.
olika_sha256 <- function(path) {
  tools_ns <- asNamespace("tools")
  if (exists("sha256sum", envir = tools_ns)) {
    return(unname(get("sha256sum", envir = tools_ns)(path)))
  }
  if (requireNamespace("digest", quietly = TRUE)) {
    return(digest::digest(path, algo = "sha256", file = TRUE))
  }
  if (requireNamespace("openssl", quietly = TRUE)) {
    con <- file(path, open = "rb")
    on.exit(close(con))
    return(as.character(openssl::sha256(con)))
  }
  olika_stop("read_olika needs the R package digest or openssl to check SHA-256 checksums ",
             "(apt-get install r-cran-digest, or install.packages(\"digest\")); ",
             "or pass verify = FALSE to read without checking")
}

# The manifest of a results folder, refused unless olika wrote it.
read_olika_manifest <- function(dir) {
  if (!is.character(dir) || length(dir) != 1) olika_stop("dir must be one path")
  if (!dir.exists(dir)) {
    olika_stop(dir, ": not a folder: give the results folder a command of olika wrote (its -o)")
  }
  path <- file.path(dir, "manifest.json")
  if (!file.exists(path)) {
    olika_stop(dir, ": not a results folder of olika (it has no manifest.json)")
  }
  manifest <- tryCatch(
    jsonlite::fromJSON(path, simplifyVector = TRUE, bigint_as_char = TRUE),
    error = function(e) olika_stop(path, ": not an olika manifest: ", conditionMessage(e))
  )
  if (!is.list(manifest) || !identical(manifest$tool, "olika")) {
    olika_stop(path, ": not an olika manifest (its tool is not olika)")
  }
  manifest
}

olika_table_file <- function(dir, table) {
  for (ext in c(".csv", ".parquet")) {
    if (file.exists(file.path(dir, paste0(table, ext)))) return(paste0(table, ext))
  }
  NULL
}

# Checks a file of the folder against the manifest's SHA-256.
olika_verify <- function(dir, manifest, file) {
  path <- file.path(dir, file)
  if (is.null(manifest$checksums[[file]])) {
    olika_stop(path, ": manifest.json has no checksum of this file: it was put there by hand, ",
               "or the manifest was edited; run the command again")
  }
  expected <- manifest$sha256[[file]]
  if (is.null(expected)) {
    olika_stop(path, ": manifest.json has no SHA-256 of this file (the folder was written by an ",
               "earlier olika, which recorded FNV checksums only): run the command again, or read ",
               "with verify = FALSE")
  }
  info <- file.info(path, extra_cols = FALSE)
  if (is.na(info$isdir) || info$isdir) {
    olika_stop(path, ": the file is missing: the folder was changed after olika wrote it; ",
               "run the command again")
  }
  found <- olika_sha256(path)
  if (!identical(tolower(found), tolower(expected))) {
    olika_stop(path, ": the file changed after olika wrote it (SHA-256 ", found,
               ", manifest.json says ", expected, "): it was edited or damaged; run the command again")
  }
  invisible(TRUE)
}

olika_read_file <- function(dir, file) {
  path <- file.path(dir, file)
  if (grepl("\\.parquet$", file)) {
    if (!requireNamespace("arrow", quietly = TRUE)) {
      olika_stop(path, ": a Parquet table needs the R package arrow (install.packages(\"arrow\")); ",
                 "or write the folder with --tables csv")
    }
    # The seed (unsigned 64 bits) cast to text inside Arrow, exactly, before R sees it as a double.
    table <- tryCatch({
      arrow_table <- arrow::read_parquet(path, as_data_frame = FALSE)
      if ("seed" %in% names(arrow_table)) arrow_table$seed <- arrow_table$seed$cast(arrow::utf8())
      as.data.frame(arrow_table)
    }, error = function(e) olika_stop(path, ": damaged Parquet table: ", conditionMessage(e)))
    return(table)
  }
  head <- tryCatch(
    names(utils::read.csv(path, nrows = 1, check.names = FALSE)),
    error = function(e) olika_stop(path, ": damaged table: ", conditionMessage(e))
  )
  classes <- if ("seed" %in% head) c(seed = "character") else NA
  table <- tryCatch(
    if (getOption("read_olika.data.table", TRUE) && requireNamespace("data.table", quietly = TRUE)) {
      # fread splits the file fast, but its own number parser can miss the nearest double in the
      # last bit (it read 0.003359182446748863 as 0.0033591824467488628): it reads text, and the
      # numbers are made as read.csv makes them (type.convert, R's correctly rounded strtod), so
      # both engines give the same data frame.
      text <- as.data.frame(data.table::fread(path, colClasses = "character", na.strings = "",
                                              check.names = FALSE, showProgress = FALSE))
      for (column in setdiff(names(text), "seed")) {
        text[[column]] <- utils::type.convert(text[[column]], as.is = TRUE, na.strings = "")
      }
      text
    } else {
      utils::read.csv(path, colClasses = classes, na.strings = "", check.names = FALSE,
                      stringsAsFactors = FALSE)
    },
    error = function(e) olika_stop(path, ": damaged table: ", conditionMessage(e)),
    warning = function(w) olika_stop(path, ": damaged table: ", conditionMessage(w))
  )
  table
}

# Reads table `table` of results folder `dir` (one of olika_tables; default "runs"), after
# checking the folder. verify = FALSE skips the checksums (never the manifest); join = FALSE leaves
# a per-run table as the file has it. The manifest is the result's attribute "manifest".
read_olika <- function(dir, table = "runs", verify = TRUE, join = TRUE) {
  if (!is.character(table) || length(table) != 1 || !(table %in% olika_tables)) {
    olika_stop("table must be one of ", paste(olika_tables, collapse = ", "),
               ", not ", paste(format(table), collapse = " "))
  }
  manifest <- read_olika_manifest(dir)
  if (!isTRUE(manifest$complete)) {
    olika_stop(file.path(dir, "manifest.json"), ": the command writing this folder did not finish ",
               "(or is still running): finish it with --resume, or run it again")
  }
  file <- olika_table_file(dir, table)
  listed <- intersect(paste0(table, c(".csv", ".parquet")), names(manifest$checksums))
  if (is.null(file) && length(listed) > 0) {
    olika_stop(file.path(dir, listed[1]), ": the file is missing: the folder was changed after ",
               "olika wrote it; run the command again")
  }
  if (is.null(file)) {
    olika_stop(dir, ": the folder has no ", table, " table (a ", manifest$command,
               " folder; its tables: ", paste(names(manifest$checksums), collapse = ", "), ")")
  }
  joining <- join && table %in% olika_per_run
  runs_file <- if (joining) olika_table_file(dir, "runs") else NULL
  if (joining && is.null(runs_file)) olika_stop(dir, ": the folder has no runs table")
  if (verify) {
    for (f in unique(c(file, runs_file))) olika_verify(dir, manifest, f)
  }
  data <- olika_read_file(dir, file)
  if (joining) {
    runs <- if (table == "runs") data else olika_read_file(dir, runs_file)
    keep <- c("run_id", "seed", manifest$point_columns)
    missing <- setdiff(keep, names(runs))
    if (length(missing) > 0) {
      olika_stop(file.path(dir, runs_file), ": no column ", missing[1],
                 ": written by another version of olika, or edited by hand")
    }
    runs <- runs[, keep, drop = FALSE]
    at <- match(data$run_id, runs$run_id)
    if (anyNA(at)) {
      olika_stop(file.path(dir, file), ": rows of run ", data$run_id[which(is.na(at))[1]],
                 ", which runs.csv does not list: the folder was edited")
    }
    joined <- runs[at, setdiff(keep, "run_id"), drop = FALSE]
    ids <- c("run_id", "point", "replication")
    lead <- intersect(ids, names(data))
    data <- cbind(data[, lead, drop = FALSE], joined, data[, setdiff(names(data), lead), drop = FALSE])
    rownames(data) <- NULL
  }
  attr(data, "manifest") <- manifest
  data
}
