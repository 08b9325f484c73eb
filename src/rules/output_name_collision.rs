//! QT111: two procedures whose `build` output files would have the same name on a
//! case-insensitive file system (Windows, macOS), or a procedure whose id is `index`,
//! whose packet `index.html` is the catalogue's name. `build` writes `ID.workflow.json`,
//! `ID.bpmn`, `ID.dot`, `ID.svg` and `ID.html` for each procedure, so the ids are compared
//! as those file systems compare names: in Unicode NFC and lower case. The first procedure
//! (in the project's order) keeps its files; the finding stands on every later one, and
//! `build` refuses to write its artefacts rather than overwrite the first's.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

use super::{Check, ProjectContext, Rule};
use crate::diag::{Diagnostic, Severity, text};

pub static RULE: Rule = Rule {
    code: "QT111",
    name: "output-name-collision",
    severity: Severity::Error,
    doc: include_str!("docs/QT111.md"),
    check: Check::Project(check),
};

/// The name of the catalogue `build` writes beside the packets, without `.html`.
pub const CATALOGUE: &str = "index";

/// An id as a case-insensitive, normalisation-insensitive file system sees it.
pub fn file_name_key(id: &str) -> String {
    id.nfc().flat_map(char::to_lowercase).collect()
}

fn check(cx: &ProjectContext, out: &mut Vec<Diagnostic>) {
    let mut first: HashMap<String, usize> = HashMap::new();
    for (i, p) in cx.model.procedures.iter().enumerate() {
        let key = file_name_key(&p.id);
        let id = &p.id;
        if key == CATALOGUE {
            out.push(
                RULE.finding(p.file,
                    p.id_span,
                    text!(
                        format!("the packet of procedure `{id}` would be `{id}.html`, the name of the catalogue"),
                        format!("phiếu trình của quy trình `{id}` sẽ mang tên `{id}.html`, trùng tên trang danh mục"),
                    ),
                )
                .label(|| text!("collides with index.html", "trùng với index.html"))
                .procedure(id)
                .help(|| text!(
                    "give the procedure another id, for example its code or a short name of what it does",
                    "đặt mã định danh khác cho quy trình, ví dụ theo mã thủ tục hoặc tên rút gọn của thủ tục",
                )),
            );
            continue;
        }
        let Some(&j) = first.get(&key) else {
            first.insert(key, i);
            continue;
        };
        let other = &cx.model.procedures[j];
        if other.id == p.id {
            // The same id twice is QT102.
            continue;
        }
        let other_id = &other.id;
        out.push(
            RULE.finding(p.file,
                p.id_span,
                text!(
                    format!("procedure `{id}` differs from `{other_id}` only in case or Unicode form, so their built files would overwrite each other on Windows and macOS"),
                    format!("mã định danh `{id}` chỉ khác `{other_id}` ở chữ hoa, chữ thường hoặc cách mã hóa Unicode, nên trên Windows và macOS các tệp dựng ra của hai quy trình sẽ ghi đè lên nhau"),
                ),
            )
            .label(|| text!("same file names as another procedure", "trùng tên tệp với quy trình khác"))
            .related(
                other.file,
                other.id_span,
                text!(format!("`{other_id}` is defined here"), format!("`{other_id}` được khai báo tại đây")),
            )
            .procedure(id)
            .help(|| text!(
                format!("give `{id}` an id that differs from `{other_id}` in more than case"),
                format!("đặt cho `{id}` một mã định danh khác hẳn `{other_id}`, không chỉ khác chữ hoa, chữ thường"),
            )),
        );
    }
}
