//! What the server answers: hover, definition, references, rename, symbols, completion,
//! formatting and code actions, each read from one check of the file's project.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use chrono::NaiveDate;
use lsp_server::{ErrorCode, ResponseError};
use lsp_types::{Range, Uri};
use serde_json::{Value, json};

use super::check::Checked;
use super::index::{Occurrence, Scope, Symbol};
use super::{error, others, path_to_uri};
use crate::config::Config;
use crate::diag::{FileId, Lang, Span, number};
use crate::graph::FlowGraph;
use crate::model::{self, Agency, DAY, Kind, Level, Minutes, Online, Procedure, Rank, Status};
use crate::reengineer;
use crate::rules;
use crate::syntax::{self, ast};
use crate::text::{ascii_ident, fold, nearest};

/// What a request about a file sees.
pub struct Context<'a> {
    pub checked: &'a Checked,
    pub file: FileId,
    pub config: &'a Config,
    pub lang: Lang,
    pub today: NaiveDate,
    /// The URIs of open documents (as the client wrote them).
    pub uris: &'a HashMap<PathBuf, Uri>,
    pub params: &'a Value,
}

impl Context<'_> {
    fn text(&self) -> &str {
        self.checked.text(self.file)
    }

    fn uri(&self, file: FileId) -> Uri {
        let path = &self.checked.paths[file.0];
        self.uris
            .get(path)
            .cloned()
            .unwrap_or_else(|| path_to_uri(path))
    }

    fn range(&self, file: FileId, span: Span) -> Range {
        self.checked.range(file, span)
    }

    fn location(&self, o: &Occurrence) -> Value {
        json!({ "uri": self.uri(o.file), "range": self.range(o.file, o.span) })
    }

    fn tr(&self, en: &str, vi: &str) -> String {
        match self.lang {
            Lang::En => en.to_string(),
            Lang::Vi => vi.to_string(),
        }
    }

    fn procedure(&self, file: FileId, id: &str) -> Option<&Procedure> {
        self.checked
            .project
            .model
            .procedures
            .iter()
            .find(|p| p.file == file && p.id == id)
    }

    fn agency(&self, scope: &Scope, id: &str) -> Option<&Agency> {
        match scope {
            Scope::Shared => self
                .checked
                .project
                .model
                .agencies
                .iter()
                .find(|a| a.id == id),
            Scope::Local { file, procedure } => self
                .procedure(*file, procedure)?
                .agencies
                .iter()
                .find(|a| a.id == id)
                .map(|a| &**a),
        }
    }
}

/// Working time for people: hours and working days.
fn duration(minutes: Minutes, lang: Lang) -> String {
    let hours = number(minutes as f64 / 60.0, lang);
    let days = number(minutes as f64 / DAY as f64, lang);
    match lang {
        Lang::En => format!("{hours} working hours ({days} working days)"),
        Lang::Vi => format!("{hours} giờ làm việc ({days} ngày làm việc)"),
    }
}

/// The Vietnamese name of a step kind.
pub fn kind_vi(kind: Kind) -> &'static str {
    match kind {
        Kind::Receive => "tiếp nhận hồ sơ",
        Kind::Assign => "lãnh đạo phân công người thụ lý",
        Kind::Transfer => "chuyển hồ sơ",
        Kind::Process => "thẩm định, xử lý",
        Kind::Inspect => "kiểm tra thực địa",
        Kind::Consult => "lấy ý kiến cơ quan khác",
        Kind::Review => "xem xét, cho ý kiến, trình",
        Kind::Sign => "phê duyệt, ký",
        Kind::Issue => "vào sổ, đóng dấu, phát hành",
        Kind::Pay => "thu phí, lệ phí",
        Kind::Supplement => "người dân bổ sung hồ sơ",
        Kind::Deliver => "trả kết quả",
        Kind::Reject => "trả hồ sơ, từ chối",
    }
}

fn rank_vi(rank: Rank) -> &'static str {
    match rank {
        Rank::Staff => "chuyên viên, công chức",
        Rank::DeputyHead => "phó trưởng phòng",
        Rank::Head => "trưởng phòng",
        Rank::DeputyLeader => "phó giám đốc sở, phó chủ tịch UBND",
        Rank::Leader => "giám đốc sở, chủ tịch UBND",
    }
}

fn level_vi(level: Level) -> &'static str {
    match level {
        Level::Province => "cấp tỉnh",
        Level::District => "cấp huyện",
        Level::Commune => "cấp xã (xã, phường, đặc khu)",
    }
}

fn online_vi(online: Online) -> &'static str {
    match online {
        Online::Full => "dịch vụ công trực tuyến toàn trình",
        Online::Partial => "dịch vụ công trực tuyến một phần",
        Online::None => "không trực tuyến",
    }
}

fn status_vi(status: Status) -> &'static str {
    match status {
        Status::Draft => "dự thảo",
        Status::Submitted => "đã trình",
        Status::Approved => "đã phê duyệt",
    }
}

/// Procedure properties with their Vietnamese names.
const PROCEDURE_PROPERTIES: &[(&str, &str)] = &[
    ("code", "mã thủ tục hành chính"),
    ("level", "cấp thực hiện"),
    ("field", "lĩnh vực"),
    ("basis", "căn cứ pháp lý"),
    ("limit", "thời hạn giải quyết"),
    ("online", "mức độ dịch vụ công trực tuyến"),
    ("volume", "số hồ sơ dự kiến"),
    ("status", "trạng thái phê duyệt"),
    ("decision", "quyết định phê duyệt"),
];

/// Step properties with their Vietnamese names.
const STEP_PROPERTIES: &[(&str, &str)] = &[
    ("by", "người thực hiện"),
    ("kind", "loại bước"),
    ("takes", "thời gian được giao"),
    ("effort", "thời gian trực tiếp xử lý một hồ sơ"),
    ("requires", "giấy tờ yêu cầu người dân"),
    ("produces", "kết quả, giấy tờ tạo ra"),
    ("digitize", "số hóa hồ sơ"),
    ("in_person", "người dân phải có mặt trực tiếp"),
    ("paper", "chuyển hồ sơ giấy"),
];

// ---------------------------------------------------------------------------------------
// Hover

pub fn hover(cx: &Context, offset: usize) -> Result<Value, ResponseError> {
    let markdown = |value: String, span: Span| {
        Ok(json!({
            "contents": { "kind": "markdown", "value": value },
            "range": cx.range(cx.file, span),
        }))
    };
    let (word, span) = word_at(cx.text(), offset);
    if word.len() == 5
        && word.starts_with("QT")
        && let Some(rule) = rules::find(word)
    {
        let value = format!(
            "**{} {}** ({})\n\n{}",
            rule.code,
            rule.name,
            rule.severity.as_str(),
            rule.doc_in(cx.lang)
        );
        return markdown(value, span);
    }
    let index = cx.checked.index();
    if let Some(o) = index.at(cx.file, offset) {
        let text = match &o.symbol {
            Symbol::Step {
                file,
                procedure,
                id,
            } => hover_step(cx, *file, procedure, id),
            Symbol::Agency { scope, id } => hover_agency(cx, scope, id, None),
            Symbol::Role { scope, agency, id } => hover_agency(cx, scope, agency, Some(id)),
        };
        return match text {
            Some(t) => markdown(t, o.span),
            None => Ok(Value::Null),
        };
    }
    if let Some((minutes, span)) = duration_at(cx.text(), cx.file, offset) {
        return markdown(duration(minutes, cx.lang), span);
    }
    Ok(Value::Null)
}

fn hover_step(cx: &Context, file: FileId, procedure: &str, id: &str) -> Option<String> {
    let p = cx.procedure(file, procedure)?;
    let index = p.step(id)?;
    let step = &p.steps[index];
    let graph = FlowGraph::new(p);
    let mut out = format!("**{}** `{}`", step.name, step.id);
    let line = |en: &str, vi: &str, value: String| match cx.lang {
        Lang::En => format!("\n- {en}: {value}"),
        Lang::Vi => format!("\n- {vi}: {value}"),
    };
    let by = if step.is_citizen() {
        cx.tr("the citizen", "người dân, doanh nghiệp")
    } else if let Some((agency, role)) = p.role_of(step) {
        format!(
            "{} — {} (`{}.{}`)",
            role.name, agency.name, agency.id, role.id
        )
    } else {
        "—".to_string()
    };
    out.push_str(&line("Done by", "Người thực hiện", by));
    if let Some(kind) = step.kind() {
        out.push_str(&line(
            "Kind",
            "Loại bước",
            format!("`{}` ({})", kind.as_str(), kind_vi(kind)),
        ));
    }
    let takes = match &step.takes {
        Some(t) => duration(t.value, cx.lang),
        None => cx.tr("not counted", "không tính thời gian"),
    };
    out.push_str(&line("Allotted time", "Thời gian được giao", takes));
    match &graph.worst {
        Some(worst) if worst.steps.contains(&index) => {
            let mut elapsed: Minutes = 0;
            for &s in &worst.steps {
                elapsed = elapsed.saturating_add(p.steps[s].cost());
                if s == index {
                    break;
                }
            }
            out.push_str(&line(
                "Due, from the start (worst case)",
                "Hạn xong, tính từ khi tiếp nhận (trường hợp dài nhất)",
                duration(elapsed, cx.lang),
            ));
            out.push_str(&line(
                "On the worst-case path",
                "Trên đường xử lý dài nhất",
                cx.tr("yes", "có"),
            ));
        }
        Some(_) => out.push_str(&line(
            "On the worst-case path",
            "Trên đường xử lý dài nhất",
            cx.tr("no", "không"),
        )),
        None => out.push_str(&line(
            "On the worst-case path",
            "Trên đường xử lý dài nhất",
            cx.tr(
                "the procedure has no path from its start to a result",
                "quy trình không có đường đi từ bước đầu đến kết quả",
            ),
        )),
    }
    Some(out)
}

fn hover_agency(cx: &Context, scope: &Scope, id: &str, role: Option<&str>) -> Option<String> {
    let agency = cx.agency(scope, id)?;
    let mut out = format!("**{}** `{}`", agency.name, agency.id);
    if agency.external {
        out.push_str(&cx.tr(
            " — outside the city's information system",
            " — ngoài hệ thống thông tin của Thành phố",
        ));
    }
    match role {
        Some(r) => {
            let role = agency.role(r)?;
            out = format!("**{}** `{}.{}` — {}", role.name, agency.id, role.id, out);
            out.push_str(&format!(
                "\n- {}: `{}` ({})",
                cx.tr("Rank", "Cấp bậc"),
                role.rank.as_str(),
                rank_vi(role.rank)
            ));
            if let Some(n) = role.staff {
                out.push_str(&format!("\n- {}: {n}", cx.tr("Staff", "Số người")));
            }
        }
        None => {
            for role in &agency.roles {
                out.push_str(&format!(
                    "\n- `{}` {} ({})",
                    role.id,
                    role.name,
                    rank_vi(role.rank)
                ));
            }
        }
    }
    Some(out)
}

/// The word (letters, digits, `_`) around a byte offset.
fn word_at(text: &str, offset: usize) -> (&str, Span) {
    let offset = offset.min(text.len());
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = text[offset..]
        .char_indices()
        .find(|(_, c)| !is_word(*c))
        .map_or(text.len(), |(i, _)| offset + i);
    (&text[start..end], Span::new(start, end))
}

/// The duration value (`takes 0.5d`, `limit 10d`) at a byte offset, in minutes.
fn duration_at(text: &str, file: FileId, offset: usize) -> Option<(Minutes, Span)> {
    let (tree, _) = syntax::parse(file, text);
    let mut found = None;
    let mut visit = |props: &[ast::Property]| {
        for prop in props {
            for v in &prop.values {
                if let ast::Value::Duration { span, .. } = v
                    && span.start <= offset
                    && offset <= span.end
                {
                    found = model::parse_duration(&text[span.start..span.end].replace(',', "."))
                        .map(|m| (m, *span));
                }
            }
        }
    };
    for item in &tree.items {
        if !(item.span().start <= offset && offset <= item.span().end) {
            continue;
        }
        if let ast::Item::Procedure(p) = item {
            for m in &p.members {
                match m {
                    ast::Member::Property(prop) => visit(std::slice::from_ref(prop)),
                    ast::Member::Step(s) => visit(&s.properties),
                    _ => {}
                }
            }
        }
    }
    found
}

// ---------------------------------------------------------------------------------------
// Definition, references, rename

pub fn definition(cx: &Context, offset: usize) -> Result<Value, ResponseError> {
    let index = cx.checked.index();
    let Some(o) = index.at(cx.file, offset) else {
        return Ok(Value::Null);
    };
    let found: Vec<Value> = index
        .of(&o.symbol)
        .filter(|d| d.definition)
        .map(|d| cx.location(d))
        .collect();
    Ok(if found.is_empty() {
        Value::Null
    } else {
        Value::Array(found)
    })
}

pub fn references(cx: &Context, offset: usize) -> Result<Value, ResponseError> {
    let index = cx.checked.index();
    let Some(o) = index.at(cx.file, offset) else {
        return Ok(Value::Null);
    };
    let declaration = cx
        .params
        .pointer("/context/includeDeclaration")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    Ok(Value::Array(
        index
            .of(&o.symbol)
            .filter(|r| declaration || !r.definition)
            .map(|r| cx.location(r))
            .collect(),
    ))
}

pub fn prepare_rename(cx: &Context, offset: usize) -> Result<Value, ResponseError> {
    let index = cx.checked.index();
    let Some(o) = index.at(cx.file, offset) else {
        return Err(error(
            ErrorCode::RequestFailed,
            cx.tr(
                "only agencies, roles and steps can be renamed",
                "chỉ đổi tên được cơ quan, vai trò và bước",
            ),
        ));
    };
    Ok(json!({ "range": cx.range(o.file, o.span), "placeholder": o.symbol.id() }))
}

/// Words a name cannot be.
const RESERVED: &[&str] = &[
    "procedure",
    "agency",
    "external",
    "role",
    "step",
    "flow",
    "when",
    "otherwise",
    "citizen",
];

/// Whether a name is an identifier the language accepts without a finding.
pub fn valid_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !RESERVED.contains(&name)
}

/// The same kind of symbol in the same place, with another id.
fn renamed(symbol: &Symbol, new: &str) -> Symbol {
    let mut s = symbol.clone();
    match &mut s {
        Symbol::Agency { id, .. } | Symbol::Role { id, .. } | Symbol::Step { id, .. } => {
            *id = new.to_string()
        }
    }
    s
}

pub fn rename(cx: &Context, offset: usize) -> Result<Value, ResponseError> {
    let new = cx
        .params
        .get("newName")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim();
    let index = cx.checked.index();
    let Some(o) = index.at(cx.file, offset) else {
        return Err(error(
            ErrorCode::RequestFailed,
            cx.tr(
                "only agencies, roles and steps can be renamed",
                "chỉ đổi tên được cơ quan, vai trò và bước",
            ),
        ));
    };
    if !valid_identifier(new) {
        let suggestion = ascii_ident(new);
        return Err(error(
            ErrorCode::InvalidParams,
            match cx.lang {
                Lang::En => format!(
                    "`{new}` is not a valid identifier: use ASCII letters, digits and `_`, not starting with a digit, and not a keyword{}",
                    if valid_identifier(&suggestion) {
                        format!(" (e.g. `{suggestion}`)")
                    } else {
                        String::new()
                    }
                ),
                Lang::Vi => format!(
                    "`{new}` không phải định danh hợp lệ: chỉ dùng chữ cái không dấu, chữ số và `_`, không bắt đầu bằng chữ số, không trùng từ khóa{}",
                    if valid_identifier(&suggestion) {
                        format!(" (ví dụ `{suggestion}`)")
                    } else {
                        String::new()
                    }
                ),
            },
        ));
    }
    let taken = renamed(&o.symbol, new);
    if new != o.symbol.id() && index.of(&taken).any(|x| x.definition) {
        return Err(error(
            ErrorCode::InvalidParams,
            match cx.lang {
                Lang::En => format!("`{new}` is already declared here; pick another name"),
                Lang::Vi => format!("`{new}` đã được khai báo ở đây; hãy chọn tên khác"),
            },
        ));
    }
    Ok(workspace_edit(cx, index.of(&o.symbol), new))
}

/// Every occurrence replaced by `new`, file by file.
fn workspace_edit<'a>(
    cx: &Context,
    occurrences: impl Iterator<Item = &'a Occurrence>,
    new: &str,
) -> Value {
    let mut changes: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for o in occurrences {
        changes
            .entry(cx.uri(o.file).as_str().to_string())
            .or_default()
            .push(json!({ "range": cx.range(o.file, o.span), "newText": new }));
    }
    json!({ "changes": changes })
}

// ---------------------------------------------------------------------------------------
// Symbols

#[allow(clippy::too_many_arguments)]
fn symbol(
    cx: &Context,
    name: &str,
    detail: &str,
    kind: u32,
    span: Span,
    id_span: Span,
    children: Vec<Value>,
) -> Value {
    let mut s = json!({
        "name": name,
        "detail": detail,
        "kind": kind,
        "range": cx.range(cx.file, span),
        "selectionRange": cx.range(cx.file, id_span),
    });
    if !children.is_empty() {
        s["children"] = Value::Array(children);
    }
    s
}

// LSP symbol kinds.
const MODULE: u32 = 2;
const CLASS: u32 = 5;
const FIELD: u32 = 8;
const FUNCTION: u32 = 12;
const EVENT: u32 = 24;

fn agency_symbol(cx: &Context, a: &ast::Agency) -> Value {
    let roles = a
        .roles
        .iter()
        .map(|r| {
            symbol(
                cx,
                &r.id.name,
                &r.name.value,
                FIELD,
                r.span,
                r.id.span,
                Vec::new(),
            )
        })
        .collect();
    symbol(
        cx,
        &a.id.name,
        &a.name.value,
        CLASS,
        a.span,
        a.id.span,
        roles,
    )
}

pub fn document_symbols(cx: &Context) -> Result<Value, ResponseError> {
    let (tree, _) = syntax::parse(cx.file, cx.text());
    let mut out = Vec::new();
    for item in &tree.items {
        match item {
            ast::Item::Agency(a) => out.push(agency_symbol(cx, a)),
            ast::Item::Procedure(p) => {
                let children = p
                    .members
                    .iter()
                    .filter_map(|m| match m {
                        ast::Member::Agency(a) => Some(agency_symbol(cx, a)),
                        ast::Member::Step(s) => Some(symbol(
                            cx,
                            &s.id.name,
                            &s.name.value,
                            EVENT,
                            s.span,
                            s.id.span,
                            Vec::new(),
                        )),
                        _ => None,
                    })
                    .collect();
                out.push(symbol(
                    cx,
                    &p.id.name,
                    &p.name.value,
                    MODULE,
                    p.span,
                    p.id.span,
                    children,
                ));
            }
        }
    }
    Ok(Value::Array(out))
}

/// The most workspace symbols answered.
const MAX_WORKSPACE_SYMBOLS: usize = 500;

/// The declarations of a project whose id or name holds the query (folded).
pub fn workspace_symbols(checked: &Checked, query: &str, out: &mut Vec<Value>) {
    let query = fold(query);
    let model = &checked.project.model;
    let mut push =
        |name: &str, title: &str, kind: u32, file: FileId, span: Span, container: Option<&str>| {
            if out.len() >= MAX_WORKSPACE_SYMBOLS
                || !(fold(name).contains(&query) || fold(title).contains(&query))
            {
                return;
            }
            let mut s = json!({
                "name": name,
                "kind": kind,
                "location": {
                    "uri": path_to_uri(&checked.paths[file.0]),
                    "range": checked.range(file, span),
                },
            });
            if let Some(c) = container {
                s["containerName"] = json!(c);
            }
            out.push(s);
        };
    for p in &model.procedures {
        push(&p.id, &p.name, MODULE, p.file, p.id_span, None);
    }
    for o in checked.index().definitions() {
        let (kind, container, title) = match &o.symbol {
            Symbol::Agency { scope, id } => (
                CLASS,
                scope_name(scope),
                agency_title(model, scope, id, None),
            ),
            Symbol::Role { scope, agency, id } => (
                FIELD,
                Some(agency.clone()),
                agency_title(model, scope, agency, Some(id)),
            ),
            Symbol::Step {
                file,
                procedure,
                id,
            } => (
                FUNCTION,
                Some(procedure.clone()),
                model
                    .procedures
                    .iter()
                    .find(|p| p.file == *file && &p.id == procedure)
                    .and_then(|p| p.step(id).map(|s| p.steps[s].name.clone()))
                    .unwrap_or_default(),
            ),
        };
        push(
            o.symbol.id(),
            &title,
            kind,
            o.file,
            o.span,
            container.as_deref(),
        );
    }
}

fn scope_name(scope: &Scope) -> Option<String> {
    match scope {
        Scope::Shared => None,
        Scope::Local { procedure, .. } => Some(procedure.clone()),
    }
}

fn agency_title(model: &model::Model, scope: &Scope, id: &str, role: Option<&str>) -> String {
    let agency = match scope {
        Scope::Shared => model.agencies.iter().find(|a| a.id == id),
        Scope::Local { file, procedure } => model
            .procedures
            .iter()
            .find(|p| p.file == *file && &p.id == procedure)
            .and_then(|p| p.agencies.iter().find(|a| a.id == id))
            .map(|a| &**a),
    };
    match (agency, role) {
        (Some(a), None) => a.name.clone(),
        (Some(a), Some(r)) => a.role(r).map(|r| r.name.clone()).unwrap_or_default(),
        _ => String::new(),
    }
}

// ---------------------------------------------------------------------------------------
// Completion

/// Where the cursor stands, read from the text before it (which need not parse).
struct Place {
    /// The innermost blocks open at the cursor: `procedure`, `agency`, `step` or `{` (a
    /// parallel block of a flow).
    blocks: Vec<&'static str>,
    /// The procedure the cursor is in.
    procedure: Option<String>,
    /// The words of the statement before the cursor, the partial word left out.
    words: Vec<String>,
    /// The partial word under the cursor (`lltp.he`).
    partial: Span,
}

fn place(text: &str, offset: usize) -> Place {
    let offset = offset.min(text.len());
    let bytes = text.as_bytes();
    let mut blocks: Vec<(&'static str, Option<String>)> = Vec::new();
    let mut statement = 0;
    let mut last_head = String::new();
    let mut i = 0;
    while i < offset {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < offset && bytes[i] != b'"' && bytes[i] != b'\n' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < offset && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < offset && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                i += 1;
            }
            b'\n' | b';' => {
                let head = text.get(statement..i).unwrap_or("").trim();
                if !head.is_empty() {
                    last_head = head.to_string();
                }
                statement = i + 1;
            }
            b'{' => {
                let mut head = text.get(statement..i).unwrap_or("").trim().to_string();
                if head.is_empty() {
                    head = std::mem::take(&mut last_head);
                }
                let mut words = head.split_whitespace();
                let block = match words.next() {
                    Some("procedure") => ("procedure", words.next().map(str::to_string)),
                    Some("agency") => ("agency", None),
                    Some("step") => ("step", None),
                    _ => ("{", None),
                };
                blocks.push(block);
                statement = i + 1;
                last_head.clear();
            }
            b'}' => {
                blocks.pop();
                statement = i + 1;
                last_head.clear();
            }
            _ => {}
        }
        i += 1;
    }
    let statement = statement.min(offset);
    let before = &text[statement..offset];
    let partial_len = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.')
        .map(char::len_utf8)
        .sum::<usize>();
    let words = before[..before.len() - partial_len]
        .split_whitespace()
        .map(str::to_string)
        .collect();
    Place {
        procedure: blocks
            .iter()
            .find(|(b, _)| *b == "procedure")
            .and_then(|(_, p)| p.clone()),
        blocks: blocks.iter().map(|(b, _)| *b).collect(),
        words,
        partial: Span::new(offset - partial_len, offset),
    }
}

// LSP completion item kinds.
const C_FIELD: u32 = 5;
const C_MODULE: u32 = 9;
const C_PROPERTY: u32 = 10;
const C_VALUE: u32 = 12;
const C_KEYWORD: u32 = 14;
const C_ENUM_MEMBER: u32 = 20;
const C_EVENT: u32 = 23;

pub fn completion(cx: &Context, offset: usize) -> Result<Value, ResponseError> {
    let text = cx.text();
    let at = place(text, offset);
    let range = cx.range(cx.file, at.partial);
    let mut items: Vec<Value> = Vec::new();
    let mut add = |label: &str, detail: &str, kind: u32| {
        items.push(json!({
            "label": label,
            "detail": detail,
            "kind": kind,
            "textEdit": { "range": range, "newText": label },
        }));
    };
    let last = at.words.last().map(String::as_str);
    let first = at.words.first().map(String::as_str);
    let innermost = at.blocks.last().copied();
    let in_flow = first == Some("flow") || innermost == Some("{");
    match last {
        Some("by") if innermost == Some("step") => {
            add("citizen", "người dân, doanh nghiệp", C_VALUE);
            for (pair, detail) in actors(cx, at.procedure.as_deref()) {
                add(&pair, &detail, C_FIELD);
            }
        }
        Some("kind") if innermost == Some("step") => {
            for word in Kind::WORDS {
                if let Some(k) = Kind::parse(word) {
                    add(word, kind_vi(k), C_ENUM_MEMBER);
                }
            }
        }
        Some("level") if innermost == Some("procedure") => {
            for word in Level::WORDS {
                if let Some(l) = Level::parse(word) {
                    add(word, level_vi(l), C_ENUM_MEMBER);
                }
            }
        }
        Some("online") if innermost == Some("procedure") => {
            for word in Online::WORDS {
                if let Some(o) = Online::parse(word) {
                    add(word, online_vi(o), C_ENUM_MEMBER);
                }
            }
        }
        Some("status") if innermost == Some("procedure") => {
            for word in Status::WORDS {
                if let Some(s) = Status::parse(word) {
                    add(word, status_vi(s), C_ENUM_MEMBER);
                }
            }
        }
        Some("rank") if innermost == Some("agency") => {
            for (word, rank) in Rank::ALL {
                add(word, rank_vi(rank), C_ENUM_MEMBER);
            }
        }
        _ if in_flow
            && (last == Some("flow")
                || last == Some("->")
                || last.is_none_or(|l| l.ends_with(['{', ',', '>']))) =>
        {
            if let Some(p) = at
                .procedure
                .as_deref()
                .and_then(|id| cx.procedure(cx.file, id))
            {
                for s in &p.steps {
                    add(&s.id, &s.name, C_EVENT);
                }
            } else if let Some(id) = at.procedure.as_deref() {
                // The procedure does not lower (yet): its steps as written.
                for (sid, name) in written_steps(text, cx.file, id) {
                    add(&sid, &name, C_EVENT);
                }
            }
        }
        None => match innermost {
            None => {
                add("procedure", "quy trình", C_KEYWORD);
                add("agency", "cơ quan", C_KEYWORD);
            }
            Some("procedure") => {
                for (word, vi) in PROCEDURE_PROPERTIES {
                    add(word, vi, C_PROPERTY);
                }
                add("agency", "cơ quan", C_KEYWORD);
                add("step", "bước", C_KEYWORD);
                add("flow", "trình tự các bước", C_KEYWORD);
            }
            Some("step") => {
                for (word, vi) in STEP_PROPERTIES {
                    add(word, vi, C_PROPERTY);
                }
            }
            Some("agency") => add("role", "vai trò, chức danh", C_KEYWORD),
            _ => {}
        },
        Some(_)
            if innermost == Some("procedure") && first == Some("agency") && at.words.len() >= 3 =>
        {
            add(
                "external",
                "ngoài hệ thống thông tin của Thành phố",
                C_KEYWORD,
            );
        }
        Some(_) if innermost == Some("agency") && first == Some("role") && at.words.len() >= 3 => {
            add("rank", "cấp bậc", C_PROPERTY);
            add("staff", "số người", C_PROPERTY);
        }
        Some(_) if first == Some("flow") && at.words.len() >= 3 => {
            add("when", "điều kiện rẽ nhánh", C_KEYWORD);
            add("otherwise", "trường hợp còn lại", C_KEYWORD);
        }
        _ => {}
    }
    let _ = C_MODULE;
    Ok(json!({ "isIncomplete": false, "items": items }))
}

/// The `agency.role` pairs a step of this procedure may name, with the role's and the
/// agency's names.
fn actors(cx: &Context, procedure: Option<&str>) -> Vec<(String, String)> {
    let model = &cx.checked.project.model;
    let mut agencies: Vec<&Agency> = Vec::new();
    if let Some(p) = procedure.and_then(|id| cx.procedure(cx.file, id)) {
        agencies.extend(p.agencies.iter().filter(|a| !a.shared).map(|a| &**a));
    }
    agencies.extend(model.agencies.iter());
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for a in agencies {
        if !seen.insert(a.id.as_str()) {
            continue;
        }
        for r in &a.roles {
            out.push((
                format!("{}.{}", a.id, r.id),
                format!("{} — {}", r.name, a.name),
            ));
        }
    }
    out
}

/// The steps of a procedure as written in the text.
fn written_steps(text: &str, file: FileId, procedure: &str) -> Vec<(String, String)> {
    let (tree, _) = syntax::parse(file, text);
    tree.items
        .iter()
        .filter_map(|i| match i {
            ast::Item::Procedure(p) if p.id.name == procedure => Some(p),
            _ => None,
        })
        .flat_map(|p| p.members.iter())
        .filter_map(|m| match m {
            ast::Member::Step(s) => Some((s.id.name.clone(), s.name.value.clone())),
            _ => None,
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Formatting and code actions

pub fn formatting(cx: &Context) -> Result<Value, ResponseError> {
    let text = cx.text();
    match crate::fmt::format(cx.file, text) {
        Ok(formatted) if formatted == text => Ok(json!([])),
        Ok(formatted) => Ok(json!([{
            "range": cx.checked.lines(cx.file).whole(text),
            "newText": formatted,
        }])),
        Err(_) => Err(error(
            ErrorCode::RequestFailed,
            cx.tr(
                "the file has syntax errors (QT001): fix them before formatting",
                "tệp còn lỗi cú pháp (QT001): sửa các lỗi đó trước khi chuẩn hóa trình bày",
            ),
        )),
    }
}

pub fn code_actions(cx: &Context, _offset: usize) -> Result<Value, ResponseError> {
    let range: Range = cx
        .params
        .get("range")
        .cloned()
        .and_then(|r| serde_json::from_value(r).ok())
        .unwrap_or_default();
    let lines = cx.checked.lines(cx.file);
    let (from, to) = (
        lines.offset(cx.text(), range.start),
        lines.offset(cx.text(), range.end),
    );
    let mut actions = Vec::new();
    let mut reengineered = std::collections::BTreeSet::new();
    for d in &cx.checked.diagnostics {
        if d.file != cx.file || d.span.end < from || d.span.start > to {
            continue;
        }
        let diagnostic = super::check::to_lsp(cx.checked, d, cx.lang);
        let action = |title: String, edit: Value| {
            json!({
                "title": title,
                "kind": "quickfix",
                "diagnostics": [diagnostic],
                "edit": edit,
            })
        };
        match d.code {
            "QT101" => {
                if let Some((old, new)) = nearest_name(cx, d.span) {
                    let edit = workspace_edit(
                        cx,
                        std::iter::once(&Occurrence {
                            file: cx.file,
                            span: d.span,
                            symbol: Symbol::Agency {
                                scope: Scope::Shared,
                                id: String::new(),
                            },
                            definition: false,
                        }),
                        &new,
                    );
                    let title = match cx.lang {
                        Lang::En => format!("Replace `{old}` with `{new}`"),
                        Lang::Vi => format!("Thay `{old}` bằng `{new}`"),
                    };
                    actions.push(action(title, edit));
                }
            }
            "QT003" => {
                let written = cx.checked.sources.get(cx.file).slice(d.span).to_string();
                let (new, edit) = if written.starts_with(|c: char| c.is_ascii_digit()) {
                    let new = written.replace(',', ".");
                    let one = Occurrence {
                        file: cx.file,
                        span: d.span,
                        symbol: Symbol::Agency {
                            scope: Scope::Shared,
                            id: String::new(),
                        },
                        definition: false,
                    };
                    (new.clone(), workspace_edit(cx, std::iter::once(&one), &new))
                } else {
                    let new = ascii_ident(&written);
                    if !valid_identifier(&new) {
                        continue;
                    }
                    let index = cx.checked.index();
                    match index.at(cx.file, d.span.start) {
                        Some(o) => (new.clone(), workspace_edit(cx, index.of(&o.symbol), &new)),
                        None => {
                            let one = Occurrence {
                                file: cx.file,
                                span: d.span,
                                symbol: Symbol::Agency {
                                    scope: Scope::Shared,
                                    id: String::new(),
                                },
                                definition: false,
                            };
                            (new.clone(), workspace_edit(cx, std::iter::once(&one), &new))
                        }
                    }
                };
                let title = match cx.lang {
                    Lang::En => format!("Write `{written}` as `{new}`"),
                    Lang::Vi => format!("Viết `{written}` thành `{new}`"),
                };
                actions.push(action(title, edit));
            }
            code if reengineer::RESOLVED.contains(&code) => {
                let Some(procedure) = d.procedure.as_deref() else {
                    continue;
                };
                if !reengineered.insert(procedure.to_string()) {
                    continue;
                }
                if let Some(a) = reengineer_action(cx, procedure, &diagnostic) {
                    actions.push(a);
                }
            }
            _ => {}
        }
    }
    Ok(Value::Array(actions))
}

/// The name written at a QT101 finding and the nearest declared name of its kind.
fn nearest_name(cx: &Context, span: Span) -> Option<(String, String)> {
    let index = cx.checked.index();
    let o = index.at(cx.file, span.start)?;
    let model = &cx.checked.project.model;
    let known: Vec<String> = match &o.symbol {
        Symbol::Agency { scope, .. } => {
            let mut ids: Vec<String> = model.agencies.iter().map(|a| a.id.clone()).collect();
            if let Scope::Local { file, procedure } = scope
                && let Some(p) = cx.procedure(*file, procedure)
            {
                ids.extend(p.agencies.iter().map(|a| a.id.clone()));
            }
            ids
        }
        Symbol::Role { scope, agency, .. } => {
            let found = cx.agency(scope, agency).or_else(|| {
                // A role of a shared agency named from a procedure declaring none.
                model.agencies.iter().find(|a| &a.id == agency)
            });
            found.map_or_else(Vec::new, |a| a.roles.iter().map(|r| r.id.clone()).collect())
        }
        Symbol::Step {
            file, procedure, ..
        } => index
            .definitions()
            .filter_map(|d| match &d.symbol {
                Symbol::Step {
                    file: f,
                    procedure: p,
                    id,
                } if f == file && p == procedure => Some(id.clone()),
                _ => None,
            })
            .collect(),
    };
    let old = o.symbol.id();
    let near = nearest(old, known.iter().map(String::as_str))?;
    Some((old.to_string(), near.to_string()))
}

/// The whole file re-engineered for one procedure, as a code action.
fn reengineer_action(
    cx: &Context,
    procedure: &str,
    diagnostic: &lsp_types::Diagnostic,
) -> Option<Value> {
    let text = cx.text();
    let display = cx.checked.sources.get(cx.file).display.clone();
    let input = reengineer::Input {
        file: (&display, text),
        others: others(cx.checked, cx.file).into(),
        config: cx.config,
        procedure: Some(procedure),
        today: cx.today,
        delegate: false,
    };
    let proposal = reengineer::propose(&input).ok()?;
    if proposal.text == text || proposal.changes.is_empty() {
        return None;
    }
    let steps: Vec<String> = proposal
        .changes
        .iter()
        .map(|c| format!("{} ({})", c.step, c.code))
        .collect();
    let title = match cx.lang {
        Lang::En => format!("Re-engineer procedure `{procedure}`: {}", steps.join(", ")),
        Lang::Vi => format!("Tái cấu trúc quy trình `{procedure}`: {}", steps.join(", ")),
    };
    let edit = json!({ "changes": {
        cx.uri(cx.file).as_str(): [{
            "range": cx.checked.lines(cx.file).whole(text),
            "newText": proposal.text,
        }]
    }});
    Some(json!({
        "title": title,
        "kind": "quickfix",
        "diagnostics": [diagnostic],
        "edit": edit,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_where_the_cursor_stands() {
        let text = "procedure p \"P\" {\n  step a \"A\" {\n    by lltp.he";
        let at = place(text, text.len());
        assert_eq!(at.blocks, vec!["procedure", "step"]);
        assert_eq!(at.procedure.as_deref(), Some("p"));
        assert_eq!(at.words, vec!["by"]);
        assert_eq!(&text[at.partial.start..at.partial.end], "lltp.he");
        let text = "procedure p \"P {\"\n{\n  flow a -> {b, ";
        let at = place(text, text.len());
        assert_eq!(at.blocks, vec!["procedure", "{"]);
        assert_eq!(at.procedure.as_deref(), Some("p"));
    }

    #[test]
    fn accepts_only_identifiers() {
        assert!(valid_identifier("truong_phong"));
        assert!(valid_identifier("_x1"));
        for bad in ["", "1a", "trưởng", "a-b", "step", "citizen", "a b"] {
            assert!(!valid_identifier(bad), "{bad}");
        }
    }
}
