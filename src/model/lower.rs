//! Syntax tree → model: checks every property and resolves every reference.
//! Reports QT003 (non-ASCII identifiers, decimal commas), QT101 (unknown references),
//! QT102 (duplicate ids), QT107 (missing attributes) and QT108 (invalid values), and an
//! unknown property as QT001. Keeps going after each, so one run shows them all.

use std::sync::Arc;

use foldhash::{HashMap, HashMapExt};

use super::flow::{FlowBuilder, collect_names};
use super::lexical::check_lexical;
use super::*;
use crate::diag::{Diagnostic, FileId, Span, Text};
use crate::syntax::ast;
use crate::text::nearest;

/// Lowers the files of one project into its model.
pub fn lower(files: &[(FileId, &ast::File)]) -> (Model, Vec<Diagnostic>) {
    lower_with(&[], files)
}

/// Lowers files with the project's shared agencies of other files already resolved
/// (`declared`, each keeping its file): the re-check of one file needs only that file.
pub fn lower_with(declared: &[Agency], files: &[(FileId, &ast::File)]) -> (Model, Vec<Diagnostic>) {
    let heads: Vec<(FileId, Vec<&ast::Agency>)> = files
        .iter()
        .map(|&(file, tree)| {
            let agencies = tree
                .items
                .iter()
                .filter_map(|item| match item {
                    ast::Item::Agency(a) => Some(a),
                    _ => None,
                })
                .collect();
            (file, agencies)
        })
        .collect();
    let (mut shared, mut diags) = lower_shared(&heads);
    // The files' own declarations come first, as when the whole project is lowered with
    // them; an id they declare again was reported (QT102) when the project was checked.
    for agency in declared {
        if shared.0.get(&agency.id).is_none() {
            Arc::make_mut(&mut shared.0).push(agency.clone(), agency.file);
        }
    }
    let lowered: Vec<FileLowered> = files
        .iter()
        .map(|&(file, tree)| lower_file(&shared, file, tree))
        .collect();
    let (model, more) = assemble(shared, lowered);
    diags.extend(more);
    (model, diags)
}

/// A project's shared (top-level) agencies, resolved before its procedures.
#[derive(Clone)]
pub struct Shared(Arc<Agencies<FileId>>);

impl Shared {
    /// Agencies already resolved (a project's), indexed once, for [`lower_against`].
    pub fn of(declared: &[Agency]) -> Shared {
        let mut table = Agencies::default();
        for agency in declared {
            if !table.by_id.contains_key(&agency.id) {
                table.push(agency.clone(), agency.file);
            }
        }
        Shared(Arc::new(table))
    }
}

/// [`lower_with`] against agencies resolved once ([`Shared::of`]), for files that declare
/// no top-level agency of their own (`None` when one does): what `reengineer` checks again
/// and again. The model's `agencies` is left empty.
pub fn lower_against(
    shared: &Shared,
    files: &[(FileId, &ast::File)],
) -> Option<(Model, Vec<Diagnostic>)> {
    let own = |tree: &ast::File| {
        tree.items
            .iter()
            .any(|item| matches!(item, ast::Item::Agency(_)))
    };
    if files.iter().any(|&(_, tree)| own(tree)) {
        return None;
    }
    let lowered: Vec<FileLowered> = files
        .iter()
        .map(|&(file, tree)| lower_file(shared, file, tree))
        .collect();
    Some(assemble(Shared(Arc::default()), lowered))
}

/// Resolves the top-level agencies of a project's files, in file order: the first stage of
/// lowering, which needs only the agencies (see `syntax::parse_agencies`), so the files'
/// procedures can then be parsed and lowered one file at a time, on all cores, each syntax
/// tree dropped once lowered.
pub fn lower_shared(files: &[(FileId, Vec<&ast::Agency>)]) -> (Shared, Vec<Diagnostic>) {
    let mut cx = Lowering::default();
    for (file, agencies) in files {
        cx.file = *file;
        for a in agencies {
            cx.shared_agency(a);
        }
    }
    (Shared(cx.shared), cx.diags)
}

/// The procedures of one file lowered against the shared agencies, each with its
/// findings, and the file's own findings (QT003).
pub struct FileLowered {
    diags: Vec<Diagnostic>,
    procedures: Vec<(Procedure, Vec<Diagnostic>)>,
}

/// Lowers the procedures of one file (its top-level agencies were resolved by
/// [`lower_shared`]).
pub fn lower_file(shared: &Shared, file: FileId, tree: &ast::File) -> FileLowered {
    let mut cx = Lowering {
        file,
        diags: Vec::new(),
        shared: Arc::clone(&shared.0),
    };
    check_lexical(file, tree, &mut cx.diags);
    let mut diags = std::mem::take(&mut cx.diags);
    locate_in_procedures(file, tree, &mut diags);
    let mut procedures = Vec::new();
    for item in &tree.items {
        if let ast::Item::Procedure(p) = item {
            let procedure = cx.procedure(p);
            let mut own = std::mem::take(&mut cx.diags);
            locate_in_procedures(file, tree, &mut own);
            procedures.push((procedure, own));
        }
    }
    FileLowered { diags, procedures }
}

/// Puts the lowered files together in file order: a procedure id defined twice keeps its
/// first definition, the second is reported (QT102) and left out with its findings.
pub fn assemble(shared: Shared, files: Vec<FileLowered>) -> (Model, Vec<Diagnostic>) {
    let mut cx = Lowering::default();
    // Sized once: grown by doubling, the list of a project's procedures (large structs) was
    // moved again and again, on the one thread that puts the files together.
    let count = files.iter().map(|f| f.procedures.len()).sum::<usize>();
    let mut procedures: Vec<Procedure> = Vec::with_capacity(count);
    let mut seen: HashMap<String, (FileId, Span)> = HashMap::with_capacity(count);
    for lowered in files {
        cx.diags.extend(lowered.diags);
        for (p, diags) in lowered.procedures {
            if let Some(&(first_file, first)) = seen.get(&p.id) {
                cx.file = p.file;
                let id = ast::Ident {
                    name: p.id.clone(),
                    span: p.id_span,
                };
                cx.duplicate("procedure", "quy trình", &id, first_file, first);
                if let Some(d) = cx.diags.last_mut() {
                    d.procedure = Some(p.id.clone());
                }
                continue;
            }
            seen.insert(p.id.clone(), (p.file, p.id_span));
            cx.diags.extend(diags);
            procedures.push(p);
        }
    }
    let agencies = match Arc::try_unwrap(shared.0) {
        Ok(shared) => shared
            .list
            .into_iter()
            .map(|(a, _)| Arc::unwrap_or_clone(a))
            .collect(),
        Err(shared) => shared.list.iter().map(|(a, _)| Agency::clone(a)).collect(),
    };
    let model = Model {
        agencies,
        procedures,
    };
    (model, cx.diags)
}

/// Gives every finding located inside a procedure block, and not yet tagged, that
/// procedure's id — so a duplicate step (QT102), a missing attribute (QT107) or an invalid
/// value (QT108) counts against its procedure in JSON, in `build` and in the packets.
/// Sorted spans and a binary search per finding: O((p + d) log p).
fn locate_in_procedures(file: FileId, tree: &ast::File, diags: &mut [Diagnostic]) {
    let mut blocks: Vec<(FileId, usize, usize, &str)> = tree
        .items
        .iter()
        .filter_map(|item| match item {
            ast::Item::Procedure(p) => Some((file, p.span.start, p.span.end, p.id.name.as_str())),
            _ => None,
        })
        .collect();
    blocks.sort_by_key(|b| (b.0, b.1));
    for d in diags.iter_mut().filter(|d| d.procedure.is_none()) {
        // The last block of the file starting at or before the finding.
        let k = blocks.partition_point(|b| (b.0, b.1) <= (d.file, d.span.start));
        if let Some(&(file, start, end, id)) = k.checked_sub(1).and_then(|k| blocks.get(k))
            && file == d.file
            && start <= d.span.start
            && d.span.start < end
        {
            d.procedure = Some(id.to_string());
        }
    }
}

#[derive(Default)]
struct Lowering {
    file: FileId,
    diags: Vec<Diagnostic>,
    /// Shared agencies and the file each came from.
    shared: Arc<Agencies<FileId>>,
}

/// Agencies in declaration order, indexed by id, with each agency's roles indexed by id:
/// every lookup by name is a hash lookup, never a scan of a list.
#[derive(Clone)]
struct Agencies<T> {
    /// Each agency behind an `Arc`: the procedures that use it share it, not a copy.
    list: Vec<(Arc<Agency>, T)>,
    by_id: HashMap<String, usize>,
    roles: Vec<HashMap<String, usize>>,
}

impl<T> Default for Agencies<T> {
    fn default() -> Self {
        Agencies {
            list: Vec::new(),
            by_id: HashMap::new(),
            roles: Vec::new(),
        }
    }
}

impl<T> Agencies<T> {
    fn get(&self, id: &str) -> Option<&(Arc<Agency>, T)> {
        self.by_id.get(id).map(|&i| &self.list[i])
    }

    fn position(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    fn role(&self, agency: usize, id: &str) -> Option<usize> {
        self.roles.get(agency)?.get(id).copied()
    }

    fn push(&mut self, agency: Agency, extra: T) {
        let roles = agency
            .roles
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        self.by_id.insert(agency.id.clone(), self.list.len());
        self.roles.push(roles);
        self.list.push((Arc::new(agency), extra));
    }
}

/// The agencies a procedure's steps use, in order of first use, and the position of each.
#[derive(Default)]
struct Used {
    order: Vec<Source>,
    index: HashMap<Source, usize>,
}

/// Which agency a step names: shared by the project or local to the procedure.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Source {
    Shared(usize),
    Local(usize),
}

impl Lowering {
    fn diag(&self, code: &'static str, span: Span, message: Text) -> Diagnostic {
        Diagnostic::new(code, self.file, span, message)
    }

    fn duplicate(
        &mut self,
        what_en: &str,
        what_vi: &str,
        id: &ast::Ident,
        first_file: FileId,
        first: Span,
    ) {
        let name = &id.name;
        let d = self
            .diag(
                "QT102",
                id.span,
                Text::new(
                    format!("{what_en} `{name}` is defined twice"),
                    format!("{what_vi} `{name}` được khai báo hai lần"),
                ),
            )
            .label(|| Text::new("second definition", "khai báo lần hai"))
            .related(
                first_file,
                first,
                Text::new("first defined here", "khai báo lần đầu tại đây"),
            )
            .help(|| {
                Text::new(
                    format!("rename one of the two `{name}`, or remove the copy"),
                    format!("đổi tên một trong hai `{name}`, hoặc xóa bản trùng"),
                )
            });
        self.diags.push(d);
    }

    fn shared_agency(&mut self, a: &ast::Agency) {
        if let Some((first, file)) = self.shared.get(&a.id.name) {
            let (file, span) = (*file, first.span);
            self.duplicate("agency", "cơ quan", &a.id, file, span);
            return;
        }
        let agency = self.agency(a, true);
        let file = self.file;
        Arc::make_mut(&mut self.shared).push(agency, file);
    }

    fn agency(&mut self, a: &ast::Agency, shared: bool) -> Agency {
        let mut roles: Vec<Role> = Vec::new();
        let mut seen: HashMap<&str, Span> = HashMap::new();
        for r in &a.roles {
            if let Some(&span) = seen.get(r.id.name.as_str()) {
                self.duplicate("role", "vai trò", &r.id, self.file, span);
                continue;
            }
            seen.insert(&r.id.name, r.id.span);
            roles.push(self.role(r));
        }
        Agency {
            id: a.id.name.clone(),
            name: self.name("agency", "cơ quan", &a.id, &a.name),
            external: a.external.is_some(),
            roles,
            shared,
            file: self.file,
            span: a.id.span,
        }
    }

    fn role(&mut self, r: &ast::Role) -> Role {
        let mut rank = Rank::Staff;
        let mut staff = None;
        for option in &r.options {
            match option.key.name.as_str() {
                "rank" => {
                    let words: Vec<&str> = Rank::ALL.iter().map(|(w, _)| *w).collect();
                    if let Some(word) = self.word(option, &words) {
                        rank = Rank::ALL
                            .iter()
                            .find(|(w, _)| *w == word)
                            .map_or(Rank::Staff, |(_, r)| *r);
                    }
                }
                "staff" => {
                    if let Some(n) = self.count(option) {
                        staff = Some(n);
                    }
                }
                _ => self.unknown_key(&option.key, "role", "vai trò", &["rank", "staff"]),
            }
        }
        Role {
            id: r.id.name.clone(),
            name: self.name("role", "vai trò", &r.id, &r.name),
            rank,
            staff,
            span: r.id.span,
        }
    }

    fn unknown_key(&mut self, key: &ast::Ident, in_en: &str, in_vi: &str, known: &[&str]) {
        let list = known
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let help = match nearest(&key.name, known.iter().copied()) {
            Some(near) => Text::new(
                format!("did you mean `{near}`?"),
                format!("có phải ý bạn là `{near}`?"),
            ),
            None => Text::new(
                format!("a {in_en} takes: {list}"),
                format!("{in_vi} có các thuộc tính: {list}"),
            ),
        };
        let d = self
            .diag(
                "QT001",
                key.span,
                Text::new(
                    format!("unknown property `{}` in a {in_en}", key.name),
                    format!("thuộc tính `{}` không có trong {in_vi}", key.name),
                ),
            )
            .label(|| Text::new("unknown property", "thuộc tính lạ"))
            .note(|| {
                Text::new(
                    format!("expected one of {list}"),
                    format!("cần một trong {list}"),
                )
            })
            .help(|| help);
        self.diags.push(d);
    }

    /// The name of an agency, role, procedure or step. A name with nothing visible in it
    /// (empty, or only spaces, control and invisible format characters) is QT108, and the
    /// model carries the id in its place, so every output still shows something.
    fn name(&mut self, what_en: &str, what_vi: &str, id: &ast::Ident, name: &ast::Str) -> String {
        if !is_blank_name(&name.value) {
            return name.value.clone();
        }
        let id = &id.name;
        self.invalid(
            name.span,
            Text::new(
                format!("the name of {what_en} `{id}` is empty or has only invisible characters"),
                format!("tên của {what_vi} `{id}` để trống hoặc chỉ có ký tự không nhìn thấy"),
            ),
            Text::new(
                format!("write the name of the {what_en} as people read it, in the quotes"),
                format!("ghi tên {what_vi} như cách mọi người vẫn gọi, trong dấu ngoặc kép"),
            ),
        );
        id.clone()
    }

    fn invalid(&mut self, span: Span, message: Text, help: Text) {
        let d = self.diag("QT108", span, message).help(|| help);
        self.diags.push(d);
    }

    /// The single value of a property, or a finding when it has none or several.
    fn single<'a>(&mut self, p: &'a ast::Property) -> Option<&'a ast::Value> {
        match p.values.as_slice() {
            [one] => Some(one),
            [] => {
                self.invalid(
                    p.span,
                    Text::new(
                        format!("`{}` needs a value", p.key.name),
                        format!("`{}` cần một giá trị", p.key.name),
                    ),
                    Text::new(
                        "write the value after the property's name on the same line",
                        "viết giá trị ngay sau tên thuộc tính, trên cùng dòng",
                    ),
                );
                None
            }
            [_, extra, ..] => {
                self.invalid(
                    extra.span(),
                    Text::new(
                        format!("`{}` takes a single value", p.key.name),
                        format!("`{}` chỉ nhận một giá trị", p.key.name),
                    ),
                    Text::new(
                        "remove the extra value, or put it on a line of its own",
                        "bỏ giá trị thừa, hoặc viết nó thành một dòng riêng",
                    ),
                );
                None
            }
        }
    }

    fn flag(&mut self, p: &ast::Property) -> Option<Span> {
        if let Some(extra) = p.values.first() {
            self.invalid(
                extra.span(),
                Text::new(
                    format!("`{}` is a flag and takes no value", p.key.name),
                    format!("`{}` là cờ đánh dấu, không nhận giá trị", p.key.name),
                ),
                Text::new(
                    format!("write `{}` alone on its line", p.key.name),
                    format!("chỉ viết `{}` trên dòng của nó", p.key.name),
                ),
            );
        }
        Some(p.key.span)
    }

    fn text(&mut self, p: &ast::Property) -> Option<Spanned<String>> {
        match self.single(p)? {
            ast::Value::Str(s) => Some(Spanned {
                value: s.value.clone(),
                span: s.span,
            }),
            other => {
                self.invalid(
                    other.span(),
                    Text::new(
                        format!("`{}` takes a quoted text", p.key.name),
                        format!("`{}` cần một chuỗi trong ngoặc kép", p.key.name),
                    ),
                    Text::new(
                        format!("write `{} \"…\"`", p.key.name),
                        format!("viết `{} \"…\"`", p.key.name),
                    ),
                );
                None
            }
        }
    }

    /// One of the words of `known` (`level district`).
    fn word<'k>(&mut self, p: &ast::Property, known: &[&'k str]) -> Option<&'k str> {
        let value = self.single(p)?;
        if let ast::Value::Path(parts) = value
            && let [only] = parts.as_slice()
            && let Some(k) = known.iter().find(|k| **k == only.name)
        {
            return Some(k);
        }
        // Only a wrong value pays for the list of the right ones.
        let list = known
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ");
        if let ast::Value::Path(parts) = value
            && let [only] = parts.as_slice()
        {
            let help = match nearest(&only.name, known.iter().copied()) {
                Some(near) => Text::new(
                    format!("did you mean `{near}`?"),
                    format!("có phải ý bạn là `{near}`?"),
                ),
                None => Text::new(
                    format!("use one of {list}"),
                    format!("dùng một trong {list}"),
                ),
            };
            self.invalid(
                only.span,
                Text::new(
                    format!("`{}` is not a valid `{}`", only.name, p.key.name),
                    format!(
                        "`{}` không phải giá trị hợp lệ của `{}`",
                        only.name, p.key.name
                    ),
                ),
                help,
            );
            return None;
        }
        self.invalid(
            value.span(),
            Text::new(
                format!("`{}` takes one of {list}", p.key.name),
                format!("`{}` nhận một trong {list}", p.key.name),
            ),
            Text::new(
                format!("write for example `{} {}`", p.key.name, known[0]),
                format!("viết ví dụ `{} {}`", p.key.name, known[0]),
            ),
        );
        None
    }

    /// A whole number ≥ 1 (`staff 4`).
    fn count(&mut self, p: &ast::Property) -> Option<u32> {
        let value = self.single(p)?;
        if let ast::Value::Number(n) = value
            && let Ok(count) = n.text.parse::<u32>()
        {
            if count == 0 {
                self.invalid(
                    n.span,
                    Text::new(
                        format!("`{}` must be at least 1", p.key.name),
                        format!("`{}` phải từ 1 trở lên", p.key.name),
                    ),
                    Text::new(
                        "give the number of people who do this work, or remove the line",
                        "ghi số người làm việc này, hoặc bỏ dòng này",
                    ),
                );
                return None;
            }
            return Some(count);
        }
        self.invalid(
            value.span(),
            Text::new(
                format!("`{}` takes a whole number", p.key.name),
                format!("`{}` cần một số nguyên", p.key.name),
            ),
            Text::new(
                format!("write for example `{} 3`", p.key.name),
                format!("viết ví dụ `{} 3`", p.key.name),
            ),
        );
        None
    }

    fn duration(&mut self, p: &ast::Property) -> Option<Spanned<Minutes>> {
        let value = self.single(p)?;
        if let ast::Value::Duration { number, unit, span } = value {
            let per_unit = match unit.as_str() {
                "d" => DAY as f64,
                "h" => 60.0,
                _ => 1.0,
            };
            let amount = if number.text.contains(',') {
                number.text.replace(',', ".").parse::<f64>()
            } else {
                number.text.parse::<f64>()
            }
            .ok()?;
            let minutes = (amount * per_unit).round();
            if !minutes.is_finite() || minutes > 1e12 {
                self.invalid(
                    *span,
                    Text::new("this duration is too large", "thời gian này quá lớn"),
                    Text::new("check the number", "kiểm tra lại con số"),
                );
                return None;
            }
            return Some(Spanned {
                value: minutes as Minutes,
                span: *span,
            });
        }
        let (en, vi) = if matches!(value, ast::Value::Number(_)) {
            ("a duration needs a unit", "thời gian cần có đơn vị")
        } else {
            ("expected a duration", "cần một khoảng thời gian")
        };
        self.invalid(
            value.span(),
            Text::new(
                format!("{en} for `{}`", p.key.name),
                format!("{vi} cho `{}`", p.key.name),
            ),
            Text::new(
                "write a number and a unit with no space: `2d` (working days), `4h` (working hours) or `30min`",
                "viết số và đơn vị liền nhau: `2d` (ngày làm việc), `4h` (giờ làm việc) hoặc `30min` (phút)",
            ),
        );
        None
    }

    fn once<T>(&mut self, slot: &Option<T>, p: &ast::Property) -> bool {
        if slot.is_some() {
            self.invalid(
                p.key.span,
                Text::new(
                    format!("`{}` is given more than once", p.key.name),
                    format!("`{}` được ghi nhiều hơn một lần", p.key.name),
                ),
                Text::new(
                    "keep one line and remove the others",
                    "giữ một dòng và xóa các dòng còn lại",
                ),
            );
            return false;
        }
        true
    }

    fn missing(&mut self, span: Span, what_en: String, what_vi: String, key: &str, example: &str) {
        let d = self
            .diag(
                "QT107",
                span,
                Text::new(
                    format!("{what_en} has no `{key}`"),
                    format!("{what_vi} thiếu `{key}`"),
                ),
            )
            .label(|| Text::new(format!("`{key}` missing"), format!("thiếu `{key}`")))
            .help(|| {
                Text::new(
                    format!("add a line `{example}`"),
                    format!("thêm dòng `{example}`"),
                )
            });
        self.diags.push(d);
    }

    fn procedure(&mut self, p: &ast::Procedure) -> Procedure {
        let mut code = None;
        let mut level = None;
        let mut level_span = None;
        let mut field = None;
        let mut basis = Vec::new();
        let mut limit: Option<Spanned<Minutes>> = None;
        let mut online: Option<Spanned<Online>> = None;
        let mut volume: Option<Spanned<Volume>> = None;
        let mut status: Option<Spanned<Status>> = None;
        let mut decision: Option<Spanned<String>> = None;
        let mut local: Agencies<Span> = Agencies::default();
        let mut step_trees: Vec<&ast::Step> = Vec::new();
        let mut step_ids: HashMap<&str, Span> = HashMap::new();
        let mut flows: Vec<&ast::Flow> = Vec::new();

        for member in &p.members {
            match member {
                ast::Member::Property(prop) => match prop.key.name.as_str() {
                    "code" if self.once(&code, prop) => code = self.text(prop).map(|t| t.value),
                    "level" if self.once(&level, prop) => {
                        level = self.word(prop, Level::WORDS).and_then(Level::parse);
                        level_span = Some(prop.span);
                    }
                    "field" if self.once(&field, prop) => field = self.text(prop).map(|t| t.value),
                    "basis" => basis.extend(self.text(prop).map(|t| t.value)),
                    "limit" if self.once(&limit, prop) => limit = self.duration(prop),
                    "online" if self.once(&online, prop) => {
                        online =
                            self.word(prop, Online::WORDS)
                                .and_then(Online::parse)
                                .map(|value| Spanned {
                                    value,
                                    span: prop.span,
                                })
                    }
                    "volume" if self.once(&volume, prop) => volume = self.volume(prop),
                    "status" if self.once(&status, prop) => {
                        status =
                            self.word(prop, Status::WORDS)
                                .and_then(Status::parse)
                                .map(|value| Spanned {
                                    value,
                                    span: prop.span,
                                })
                    }
                    "decision" if self.once(&decision, prop) => decision = self.text(prop),
                    "code" | "level" | "field" | "limit" | "online" | "volume" | "status"
                    | "decision" => {}
                    _ => self.unknown_key(
                        &prop.key,
                        "procedure",
                        "quy trình",
                        &[
                            "code", "level", "field", "basis", "limit", "online", "volume",
                            "status", "decision",
                        ],
                    ),
                },
                ast::Member::Agency(a) => {
                    if let Some((first, _)) = local.get(&a.id.name) {
                        let span = first.span;
                        self.duplicate("agency", "cơ quan", &a.id, self.file, span);
                        continue;
                    }
                    if let Some((shared, file)) = self.shared.get(&a.id.name) {
                        let (file, span) = (*file, shared.span);
                        self.duplicate("agency", "cơ quan", &a.id, file, span);
                        let last = self.diags.len() - 1;
                        self.diags[last].help = Some(Text::new(
                            format!(
                                "the project already declares agency `{}`: use it, or give this one another id",
                                a.id.name
                            ),
                            format!(
                                "dự án đã khai báo cơ quan `{}`: dùng cơ quan đó, hoặc đặt mã khác cho cơ quan này",
                                a.id.name
                            ),
                        ));
                        continue;
                    }
                    let agency = self.agency(a, false);
                    local.push(agency, a.span);
                }
                ast::Member::Step(s) => {
                    if let Some(&span) = step_ids.get(s.id.name.as_str()) {
                        self.duplicate("step", "bước", &s.id, self.file, span);
                        continue;
                    }
                    step_ids.insert(&s.id.name, s.id.span);
                    step_trees.push(s);
                }
                ast::Member::Flow(f) => flows.push(f),
            }
        }

        let header = p.id.span;
        let what = || {
            (
                format!("procedure `{}`", p.id.name),
                format!("quy trình `{}`", p.id.name),
            )
        };
        if code.is_none() && !has_key(p, "code") {
            let (en, vi) = what();
            self.missing(header, en, vi, "code", "code \"1.009994\"");
        }
        if level.is_none() && !has_key(p, "level") {
            let (en, vi) = what();
            self.missing(header, en, vi, "level", "level commune");
        }
        if limit.is_none() && !has_key(p, "limit") {
            let (en, vi) = what();
            self.missing(header, en, vi, "limit", "limit 15d");
        }
        if online.is_none() && !has_key(p, "online") {
            let (en, vi) = what();
            self.missing(header, en, vi, "online", "online partial");
        }
        if let Some(l) = &limit
            && l.value == 0
        {
            self.invalid(
                l.span,
                Text::new(
                    format!(
                        "the statutory limit of `{}` must be more than zero",
                        p.id.name
                    ),
                    format!("thời hạn giải quyết của `{}` phải lớn hơn 0", p.id.name),
                ),
                Text::new(
                    "write the limit the law sets, e.g. `limit 15d`",
                    "ghi thời hạn theo quy định, ví dụ `limit 15d`",
                ),
            );
        }
        let status = status.unwrap_or(Spanned {
            value: Status::Draft,
            span: header,
        });
        if let Some(d) = &decision
            && status.value != Status::Approved
        {
            self.invalid(
                d.span,
                Text::new(
                    format!(
                        "procedure `{}` names an approving decision but its status is `{}`",
                        p.id.name,
                        status.value.as_str()
                    ),
                    format!(
                        "quy trình `{}` ghi quyết định phê duyệt nhưng trạng thái là `{}`",
                        p.id.name,
                        status.value.as_str()
                    ),
                ),
                Text::new(
                    "write `status approved` once the decision is signed, or remove `decision`",
                    "ghi `status approved` khi quyết định đã ký, hoặc bỏ dòng `decision`",
                ),
            );
        }

        // Steps, with the agencies they use in order of first use.
        let mut used = Used::default();
        let mut steps = Vec::with_capacity(step_trees.len());
        for s in &step_trees {
            steps.push(self.step(&p.id.name, s, &local, &mut used));
        }
        let mut agencies: Vec<Arc<Agency>> = used
            .order
            .iter()
            .map(|source| match *source {
                Source::Shared(i) => Arc::clone(&self.shared.list[i].0),
                Source::Local(i) => Arc::clone(&local.list[i].0),
            })
            .collect();
        for (i, (agency, _)) in local.list.iter().enumerate() {
            if !used.index.contains_key(&Source::Local(i)) {
                agencies.push(agency.clone());
            }
        }

        let mut procedure = Procedure {
            id: p.id.name.clone(),
            name: self.name("procedure", "quy trình", &p.id, &p.name),
            file: self.file,
            span: p.span,
            id_span: p.id.span,
            code,
            level,
            level_span,
            field,
            basis,
            limit,
            online,
            volume,
            status,
            decision,
            agencies,
            steps,
            gateways: Vec::new(),
            edges: Vec::new(),
            step_order: Vec::new(),
        };
        procedure.index_steps();
        for f in flows {
            self.flow(&mut procedure, f);
        }
        procedure
    }

    fn volume(&mut self, p: &ast::Property) -> Option<Spanned<Volume>> {
        let value = self.single(p)?;
        if let ast::Value::Rate { number, per, span } = value {
            let amount = number.text.replace(',', ".").parse::<f64>().ok()?;
            let volume = match per.name.as_str() {
                "month" => Volume::PerMonth(amount),
                "year" => Volume::PerYear(amount),
                other => {
                    self.invalid(
                        per.span,
                        Text::new(
                            format!("`{other}` is not a period; use `month` or `year`"),
                            format!("`{other}` không phải kỳ hợp lệ; dùng `month` hoặc `year`"),
                        ),
                        Text::new(
                            "write e.g. `volume 120/month`",
                            "viết ví dụ `volume 120/month`",
                        ),
                    );
                    return None;
                }
            };
            if amount <= 0.0 {
                self.invalid(
                    number.span,
                    Text::new(
                        "the volume must be more than zero",
                        "số hồ sơ phải lớn hơn 0",
                    ),
                    Text::new(
                        "give the expected number of dossiers, or remove `volume`",
                        "ghi số hồ sơ dự kiến, hoặc bỏ dòng `volume`",
                    ),
                );
                return None;
            }
            return Some(Spanned {
                value: volume,
                span: *span,
            });
        }
        self.invalid(
            value.span(),
            Text::new(
                "`volume` takes a number of dossiers per month or year",
                "`volume` cần số hồ sơ theo tháng hoặc năm",
            ),
            Text::new(
                "write e.g. `volume 120/month`",
                "viết ví dụ `volume 120/month`",
            ),
        );
        None
    }

    fn step(
        &mut self,
        procedure: &str,
        s: &ast::Step,
        local: &Agencies<Span>,
        used: &mut Used,
    ) -> Step {
        let mut step = Step {
            id: s.id.name.clone(),
            name: self.name("step", "bước", &s.id, &s.name),
            span: s.span,
            id_span: s.id.span,
            by: None,
            kind: None,
            takes: None,
            effort: None,
            requires: Vec::new(),
            produces: Vec::new(),
            digitize: false,
            in_person: None,
            paper: None,
        };
        let mut seen_by = false;
        for p in &s.properties {
            match p.key.name.as_str() {
                "by" if self.once(&step.by, p) && !seen_by => {
                    seen_by = true;
                    step.by = self.actor(procedure, &s.id.name, p, local, used);
                }
                "kind" if self.once(&step.kind, p) => {
                    step.kind = self
                        .word(p, Kind::WORDS)
                        .and_then(Kind::parse)
                        .map(|value| Spanned {
                            value,
                            span: p.span,
                        })
                }
                "takes" if self.once(&step.takes, p) => step.takes = self.duration(p),
                "effort" if self.once(&step.effort, p) => step.effort = self.duration(p),
                "requires" => step.requires.extend(self.text(p)),
                "produces" => step.produces.extend(self.text(p)),
                "digitize" => step.digitize = self.flag(p).is_some(),
                "in_person" => step.in_person = self.flag(p),
                "paper" => step.paper = self.flag(p),
                "by" | "kind" | "takes" | "effort" => {}
                _ => self.unknown_key(
                    &p.key,
                    "step",
                    "bước",
                    &[
                        "by",
                        "kind",
                        "takes",
                        "effort",
                        "requires",
                        "produces",
                        "digitize",
                        "in_person",
                        "paper",
                    ],
                ),
            }
        }
        let has = |key: &str| s.properties.iter().any(|p| p.key.name == key);
        let what = || {
            (
                format!("step `{}` of procedure `{procedure}`", s.id.name),
                format!("bước `{}` của quy trình `{procedure}`", s.id.name),
            )
        };
        if !has("by") {
            let (en, vi) = what();
            self.missing(s.id.span, en, vi, "by", "by agency.role");
            self.tag_last(procedure, &s.id.name);
        }
        if !has("kind") {
            let (en, vi) = what();
            self.missing(s.id.span, en, vi, "kind", "kind process");
            self.tag_last(procedure, &s.id.name);
        }
        let exempt = step.is_citizen() || step.kind() == Some(Kind::Deliver);
        if !has("takes") && !exempt && (step.by.is_some() || !has("by")) {
            let (en, vi) = what();
            self.missing(s.id.span, en, vi, "takes", "takes 1d");
            self.tag_last(procedure, &s.id.name);
        }
        if let (Some(effort), Some(takes)) = (&step.effort, &step.takes)
            && effort.value > takes.value
        {
            self.invalid(
                effort.span,
                Text::new(
                    format!(
                        "step `{}` of procedure `{procedure}` has more effort than the time it is allotted",
                        s.id.name
                    ),
                    format!(
                        "bước `{}` của quy trình `{procedure}` có thời gian xử lý trực tiếp lớn hơn thời gian được giao",
                        s.id.name
                    ),
                ),
                Text::new(
                    "`effort` is the hands-on time within `takes`: make it at most `takes`",
                    "`effort` là thời gian làm trực tiếp nằm trong `takes`: ghi không lớn hơn `takes`",
                ),
            );
            self.tag_last(procedure, &s.id.name);
        }
        step
    }

    /// Names the procedure and step on the finding just reported.
    fn tag_last(&mut self, procedure: &str, step: &str) {
        if let Some(d) = self.diags.last_mut() {
            d.procedure = Some(procedure.to_string());
            d.steps = vec![step.to_string()];
        }
    }

    fn actor(
        &mut self,
        procedure: &str,
        step: &str,
        p: &ast::Property,
        local: &Agencies<Span>,
        used: &mut Used,
    ) -> Option<Spanned<Actor>> {
        let value = self.single(p)?;
        let span = value.span();
        let parts = match value {
            ast::Value::Path(parts) => parts.as_slice(),
            _ => &[],
        };
        match parts {
            [one] if one.name == "citizen" => Some(Spanned {
                value: Actor::Citizen,
                span,
            }),
            [agency_id, role_id] => {
                let found = local
                    .position(&agency_id.name)
                    .map(Source::Local)
                    .or_else(|| self.shared.position(&agency_id.name).map(Source::Shared));
                let Some(source) = found else {
                    let known: Vec<String> = local
                        .list
                        .iter()
                        .map(|(a, _)| a.id.clone())
                        .chain(self.shared.list.iter().map(|(a, _)| a.id.clone()))
                        .collect();
                    self.unknown(
                        procedure,
                        step,
                        agency_id,
                        ("agency", "cơ quan"),
                        known.iter().map(String::as_str),
                    );
                    return None;
                };
                let (agency, role) = match source {
                    Source::Shared(i) => {
                        (&self.shared.list[i].0, self.shared.role(i, &role_id.name))
                    }
                    Source::Local(i) => (&local.list[i].0, local.role(i, &role_id.name)),
                };
                let Some(role) = role else {
                    let known: Vec<String> = agency.roles.iter().map(|r| r.id.clone()).collect();
                    self.unknown(
                        procedure,
                        step,
                        role_id,
                        ("role", "vai trò"),
                        known.iter().map(String::as_str),
                    );
                    if let Some(d) = self.diags.last_mut() {
                        d.message
                            .en
                            .push_str(&format!(" in agency `{}`", agency_id.name));
                        d.message
                            .vi
                            .push_str(&format!(" trong cơ quan `{}`", agency_id.name));
                    }
                    return None;
                };
                let index = *used.index.entry(source).or_insert_with(|| {
                    used.order.push(source);
                    used.order.len() - 1
                });
                Some(Spanned {
                    value: Actor::Role {
                        agency: index,
                        role,
                    },
                    span,
                })
            }
            [one] => {
                self.invalid(
                    one.span,
                    Text::new(
                        format!("`by {}` names no role", one.name),
                        format!("`by {}` chưa chỉ rõ vai trò", one.name),
                    ),
                    Text::new(
                        "write `by agency.role` (e.g. `by qldt.specialist`) or `by citizen`",
                        "viết `by cơ_quan.vai_trò` (ví dụ `by qldt.specialist`) hoặc `by citizen`",
                    ),
                );
                self.tag_last(procedure, step);
                None
            }
            _ => {
                self.invalid(
                    span,
                    Text::new(
                        "`by` takes `agency.role` or `citizen`",
                        "`by` cần `cơ_quan.vai_trò` hoặc `citizen`",
                    ),
                    Text::new(
                        "write e.g. `by qldt.specialist` or `by citizen`",
                        "viết ví dụ `by qldt.specialist` hoặc `by citizen`",
                    ),
                );
                self.tag_last(procedure, step);
                None
            }
        }
    }

    fn unknown<'k>(
        &mut self,
        procedure: &str,
        step: &str,
        name: &ast::Ident,
        (what_en, what_vi): (&str, &str),
        known: impl Iterator<Item = &'k str> + Clone,
    ) {
        let help = match nearest(&name.name, known.clone()) {
            Some(near) => Text::new(
                format!("did you mean `{near}`?"),
                format!("có phải ý bạn là `{near}`?"),
            ),
            None => {
                let list: Vec<String> = known.map(|k| format!("`{k}`")).collect();
                if list.is_empty() {
                    Text::new(
                        format!("declare the {what_en} first"),
                        format!("hãy khai báo {what_vi} trước"),
                    )
                } else {
                    Text::new(
                        format!("known {what_en} names: {}", list.join(", ")),
                        format!("các {what_vi} đã khai báo: {}", list.join(", ")),
                    )
                }
            }
        };
        let d = self.diag(
            "QT101",
            name.span,
            Text::new(
                format!(
                    "step `{step}` of procedure `{procedure}` refers to unknown {what_en} `{}`",
                    name.name
                ),
                format!(
                    "bước `{step}` của quy trình `{procedure}` dùng {what_vi} `{}` chưa được khai báo",
                    name.name
                ),
            ),
        )
        .label(|| Text::new(
                format!("unknown {what_en}"),
                format!("{what_vi} chưa khai báo"),
            ))
            .help(|| help)
            .procedure(procedure)
            .steps([step]);
        self.diags.push(d);
    }

    /// Adds the edges of one `flow` line.
    fn flow(&mut self, procedure: &mut Procedure, f: &ast::Flow) {
        // Every name must be a known step; otherwise the whole line is left out.
        let mut names = Vec::new();
        collect_names(&f.chain, &mut names);
        let mut ok = true;
        for name in names {
            if procedure.step(&name.name).is_none() {
                ok = false;
                let known: Vec<String> = procedure.steps.iter().map(|s| s.id.clone()).collect();
                let help = match nearest(&name.name, known.iter().map(String::as_str)) {
                    Some(near) => Text::new(
                        format!("did you mean `{near}`?"),
                        format!("có phải ý bạn là `{near}`?"),
                    ),
                    None => Text::new(
                        format!(
                            "declare `step {} \"…\" {{ … }}` in the procedure",
                            name.name
                        ),
                        format!(
                            "khai báo `step {} \"…\" {{ … }}` trong quy trình",
                            name.name
                        ),
                    ),
                };
                let d = self
                    .diag(
                        "QT101",
                        name.span,
                        Text::new(
                            format!(
                                "flow of procedure `{}` refers to unknown step `{}`",
                                procedure.id, name.name
                            ),
                            format!(
                                "luồng của quy trình `{}` dùng bước `{}` chưa được khai báo",
                                procedure.id, name.name
                            ),
                        ),
                    )
                    .label(|| Text::new("unknown step", "bước chưa khai báo"))
                    .help(|| help)
                    .procedure(&procedure.id);
                self.diags.push(d);
            }
        }
        if !ok {
            return;
        }
        let condition = f.label.as_ref().map(|label| match label {
            ast::Label::When(s) => Spanned {
                value: Condition::When(s.value.clone()),
                span: s.span,
            },
            ast::Label::Otherwise(span) => Spanned {
                value: Condition::Otherwise,
                span: *span,
            },
        });
        let mut builder = FlowBuilder {
            procedure,
            flow_span: f.span,
            condition,
        };
        builder.chain(&f.chain, Vec::new());
    }
}

fn has_key(p: &ast::Procedure, key: &str) -> bool {
    p.members
        .iter()
        .any(|m| matches!(m, ast::Member::Property(prop) if prop.key.name == key))
}

/// A name with nothing a reader can see: empty, or only white space, control characters and
/// invisible format characters (zero-width spaces and joiners, the soft hyphen, the BOM,
/// direction marks).
pub fn is_blank_name(name: &str) -> bool {
    name.chars().all(|c| {
        c.is_whitespace()
            || c.is_control()
            || matches!(c, '\u{AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
    })
}
