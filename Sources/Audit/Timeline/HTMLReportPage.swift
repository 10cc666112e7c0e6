/// The frame every self-contained HTML report shares (the audit report, the rehearsal report):
/// the document head with the inline stylesheet (no scripts, no external assets) and escaping,
/// so the two read alike and escape alike.
public enum HTMLReportPage {
    /// `<!DOCTYPE html>` up to and including `<body>`. `highlightedRow` is the table-row class
    /// shaded pale yellow (mutations in the audit report, the critical path in a rehearsal).
    public static func head(title: String, highlightedRow: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem;color:#1d1d1f;max-width:72rem}
        h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.1rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
        table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:.25rem .5rem;border-bottom:1px solid #eee}
        th{background:#f5f5f7;font-weight:600}code,.mono{font-family:ui-monospace,"SFMono-Regular",Menlo,monospace;font-size:12px}
        .ok{color:#0a7d32}.bad{color:#b00020;font-weight:600}.muted{color:#6e6e73}
        .verdict{padding:.6rem .8rem;border-radius:6px;margin:1rem 0}.verdict.ok{background:#e8f5ec}.verdict.bad{background:#fdecee}
        tr.\(highlightedRow) td{background:#fffbea}
        </style></head><body>

        """
    }

    /// Text made safe for HTML content and attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
