//! QT003: what a reader of the file would type differently — identifiers with Vietnamese
//! letters, numbers with a decimal comma.

use super::flow::collect_names;
use crate::diag::{Diagnostic, FileId, Text};
use crate::syntax::ast;
use crate::text::ascii_ident;

/// QT003: identifiers with non-ASCII letters and numbers with a decimal comma.
pub(super) fn check_lexical(file: FileId, tree: &ast::File, diags: &mut Vec<Diagnostic>) {
    let mut idents: Vec<&ast::Ident> = Vec::new();
    let mut numbers: Vec<&ast::Number> = Vec::new();
    fn visit_props<'a>(
        props: &'a [ast::Property],
        idents: &mut Vec<&'a ast::Ident>,
        numbers: &mut Vec<&'a ast::Number>,
    ) {
        for p in props {
            idents.push(&p.key);
            for v in &p.values {
                match v {
                    ast::Value::Path(parts) => idents.extend(parts),
                    ast::Value::Number(n) => numbers.push(n),
                    ast::Value::Duration { number, .. } => numbers.push(number),
                    ast::Value::Rate { number, per, .. } => {
                        numbers.push(number);
                        idents.push(per);
                    }
                    ast::Value::Str(_) => {}
                }
            }
        }
    }
    fn visit_agency<'a>(
        a: &'a ast::Agency,
        idents: &mut Vec<&'a ast::Ident>,
        numbers: &mut Vec<&'a ast::Number>,
    ) {
        idents.push(&a.id);
        for r in &a.roles {
            idents.push(&r.id);
            visit_props(&r.options, idents, numbers);
        }
    }
    for item in &tree.items {
        match item {
            ast::Item::Agency(a) => visit_agency(a, &mut idents, &mut numbers),
            ast::Item::Procedure(p) => {
                idents.push(&p.id);
                for m in &p.members {
                    match m {
                        ast::Member::Property(prop) => {
                            visit_props(std::slice::from_ref(prop), &mut idents, &mut numbers)
                        }
                        ast::Member::Agency(a) => visit_agency(a, &mut idents, &mut numbers),
                        ast::Member::Step(s) => {
                            idents.push(&s.id);
                            visit_props(&s.properties, &mut idents, &mut numbers);
                        }
                        ast::Member::Flow(f) => collect_names(&f.chain, &mut idents),
                    }
                }
            }
        }
    }
    for id in idents {
        if !id.name.is_ascii() {
            let suggestion = ascii_ident(&id.name);
            diags.push(
                Diagnostic::new(
                    "QT003",
                    file,
                    id.span,
                    Text::new(
                        format!("identifier `{}` holds a non-ASCII letter", id.name),
                        format!("định danh `{}` chứa chữ cái ngoài bảng ASCII", id.name),
                    ),
                )
                .label(|| Text::new("Vietnamese letters here", "có chữ tiếng Việt có dấu"))
                .help(|| Text::new(
                    format!(
                        "write the identifier without diacritics (e.g. `{suggestion}`) and put the Vietnamese text in the quoted name instead"
                    ),
                    format!(
                        "viết định danh không dấu (ví dụ `{suggestion}`) và đưa chữ tiếng Việt vào tên trong ngoặc kép"
                    ),
                )),
            );
        }
    }
    for n in numbers {
        if n.text.contains(',') {
            let fixed = n.text.replace(',', ".");
            diags.push(
                Diagnostic::new(
                    "QT003",
                    file,
                    n.span,
                    Text::new(
                        format!("number `{}` uses a decimal comma", n.text),
                        format!("số `{}` dùng dấu phẩy thập phân", n.text),
                    ),
                )
                .label(|| Text::new("decimal comma", "dấu phẩy thập phân"))
                .help(|| {
                    Text::new(
                        format!("write the decimal with a dot: `{fixed}`"),
                        format!("viết phần thập phân bằng dấu chấm: `{fixed}`"),
                    )
                }),
            );
        }
    }
}
