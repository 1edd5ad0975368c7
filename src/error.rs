//! One error type for the library, split by who must act: the user (bad input, exit code 2) or the
//! machine (I/O and failed runs, exit code 1).

use std::fmt;
use std::path::{Path, PathBuf};

/// Where in a scenario file something was found: the file, and a 1-based line and column when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file's name, as shown to the user.
    pub file: String,
    /// The line, counted from 1.
    pub line: Option<usize>,
    /// The column, in characters, counted from 1.
    pub column: Option<usize>,
}

impl Location {
    /// A whole file, without line or column.
    pub fn file(file: impl Into<String>) -> Self {
        Location { file: file.into(), line: None, column: None }
    }

    /// The location of byte `offset` in `source`.
    pub fn at(file: impl Into<String>, source: &str, offset: usize) -> Self {
        let offset = offset.min(source.len());
        let before = &source[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Location { file: file.into(), line: Some(line), column: Some(column) }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        Ok(())
    }
}

/// An error of the library: bad input from the user, or a failure of the machine.
#[derive(Debug)]
pub enum Error {
    /// The user's input is wrong: a scenario file, an override or a command-line value.
    Input {
        /// Where the input was read.
        location: Location,
        /// The key at fault, with its path (`trust.gain`), when there is one.
        key: Option<String>,
        /// What is wrong, in plain words.
        message: String,
    },
    /// Reading or writing a file failed.
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The error of the operating system.
        source: std::io::Error,
    },
    /// Several independent mistakes of one scenario file, each an [`Error::Input`], in the order
    /// of the file (at most [`MAX_INPUTS`] of them, then a note that more may follow).
    Inputs(Vec<Error>),
    /// Something else went wrong while running (a failed run, a CSV error).
    Run(String),
}

/// The most mistakes of one file reported together.
pub const MAX_INPUTS: usize = 20;

impl Error {
    /// An input error at `location`, about `key` if given.
    pub fn input(location: Location, key: Option<&str>, message: impl Into<String>) -> Self {
        Error::Input { location, key: key.map(str::to_string), message: message.into() }
    }

    /// An I/O error on `path`.
    pub fn io(path: impl AsRef<Path>, source: std::io::Error) -> Self {
        Error::Io { path: path.as_ref().to_path_buf(), source }
    }

    /// One error for the mistakes of a file: the mistake itself when there is one, else all of
    /// them; `None` when there are none.
    pub fn inputs(mut errors: Vec<Error>) -> Option<Self> {
        match errors.len() {
            0 => None,
            1 => errors.pop(),
            _ => Some(Error::Inputs(errors)),
        }
    }

    /// Whether the user's input is at fault (exit code 2).
    pub fn is_input(&self) -> bool {
        matches!(self, Error::Input { .. } | Error::Inputs(_))
    }

    /// The process exit code: 2 for bad input, 1 for everything else.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input { .. } | Error::Inputs(_) => 2,
            _ => 1,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Input { location, key, message } => {
                write!(f, "{location}: ")?;
                if let Some(key) = key {
                    write!(f, "key `{key}`: ")?;
                }
                write!(f, "{message}")
            }
            Error::Inputs(errors) => {
                for (i, error) in errors.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{error}")?;
                }
                Ok(())
            }
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Run(message) => write!(f, "{message}"),
        }
    }
}

impl std::error::Error for Error {}

/// A result whose error is the library's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
