//! Findings in words (`findings.md`: a calibration's, a comparison's decision under a posterior)
//! as HTML: headings, lists, paragraphs, with `**strong**` and `` `code` `` kept and everything
//! else escaped.

use std::fmt::Write as _;

use crate::output::network::escape;

/// The findings, their title left to the page's.
pub(super) fn markdown(html: &mut String, findings: &str) {
    let mut list = false;
    for line in findings.lines().filter(|l| !l.starts_with("# ")) {
        let item = line.strip_prefix("- ");
        if list && item.is_none() {
            html.push_str("</ul>\n");
            list = false;
        }
        if let Some(heading) = line.strip_prefix("## ") {
            let _ = writeln!(html, "<h3>{}</h3>", inline(heading));
        } else if let Some(item) = item {
            if !list {
                html.push_str("<ul>\n");
                list = true;
            }
            let _ = writeln!(html, "<li>{}</li>", inline(item));
        } else if !line.trim().is_empty() {
            let _ = writeln!(html, "<p>{}</p>", inline(line));
        }
    }
    if list {
        html.push_str("</ul>\n");
    }
}

/// A line of the findings as HTML: `**strong**` and `` `code` `` kept, everything else escaped.
fn inline(text: &str) -> String {
    let mut out = String::new();
    let (mut strong, mut code) = (false, false);
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("**") {
            out.push_str(if strong { "</strong>" } else { "<strong>" });
            strong = !strong;
            rest = after;
        } else if let Some(after) = rest.strip_prefix('`') {
            out.push_str(if code { "</code>" } else { "<code>" });
            code = !code;
            rest = after;
        } else {
            // Up to the next mark, at least one character (a lone `*` is text).
            let first = rest.chars().next().map_or(1, char::len_utf8);
            let next = rest[first..].find(['*', '`']).map_or(rest.len(), |i| i + first);
            out.push_str(&escape(&rest[..next]));
            rest = &rest[next..];
        }
    }
    if code {
        out.push_str("</code>");
    }
    if strong {
        out.push_str("</strong>");
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn findings_keep_their_emphasis_and_escape_the_rest() {
        assert_eq!(
            super::inline("**P6** needs `follow_up` < 0.1 & *"),
            "<strong>P6</strong> needs <code>follow_up</code> &lt; 0.1 &amp; *"
        );
    }
}
