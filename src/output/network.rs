//! The tie network as GraphML, for Gephi, NetworkX, igraph and yEd.

use std::fmt::Write as _;

use crate::observe::{EdgeRow, NodeRow};

/// Escapes text for XML content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One undirected graph: organisations with their sector, population and capabilities; ties with
/// their trust, status and the venue where they began.
pub fn graphml(id: &str, nodes: &[NodeRow], edges: &[EdgeRow]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n",
    );
    for (key, owner, kind) in [
        ("sector", "node", "string"),
        ("population", "node", "string"),
        ("need", "node", "double"),
        ("capital", "node", "double"),
        ("reach", "node", "double"),
        ("trust", "edge", "double"),
        ("status", "edge", "string"),
        ("venue", "edge", "string"),
    ] {
        let _ =
            writeln!(out, "  <key id=\"{key}\" for=\"{owner}\" attr.name=\"{key}\" attr.type=\"{kind}\"/>");
    }
    let _ = writeln!(out, "  <graph id=\"{}\" edgedefault=\"undirected\">", escape(id));
    for n in nodes {
        let _ = writeln!(
            out,
            "    <node id=\"n{}\"><data key=\"sector\">{}</data><data key=\"population\">{}</data><data key=\"need\">{}</data><data key=\"capital\">{}</data><data key=\"reach\">{}</data></node>",
            n.id,
            n.sector.name(),
            escape(&n.population),
            n.need,
            n.capital,
            n.reach
        );
    }
    for (k, e) in edges.iter().enumerate() {
        let _ = writeln!(
            out,
            "    <edge id=\"e{k}\" source=\"n{}\" target=\"n{}\"><data key=\"trust\">{}</data><data key=\"status\">{}</data><data key=\"venue\">{}</data></edge>",
            e.source,
            e.target,
            e.trust,
            e.status,
            escape(&e.venue)
        );
    }
    out.push_str("  </graph>\n</graphml>\n");
    out
}
