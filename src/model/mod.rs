//! The resolved model: procedures, agencies, roles and steps with every property checked
//! and every reference resolved, durations in working minutes. Built from the syntax tree
//! by [`lower`]; everything after this stage reads the model, never the syntax tree.

mod flow;
mod lexical;
mod lower;

pub use lower::is_blank_name;
pub use lower::{
    FileLowered, Shared, assemble, lower, lower_against, lower_file, lower_shared, lower_with,
};

use std::sync::Arc;

use crate::diag::{FileId, Span};

/// Working time in minutes (1d = 8 working hours = 480 minutes).
pub type Minutes = u64;

/// Minutes in a working day.
pub const DAY: Minutes = 480;

/// Working minutes as hours, for outputs.
pub fn hours(minutes: Minutes) -> f64 {
    minutes as f64 / 60.0
}

/// Everything one project declares.
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// Agencies declared at the top level of the project's files.
    pub agencies: Vec<Agency>,
    pub procedures: Vec<Procedure>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rank {
    Staff,
    DeputyHead,
    Head,
    DeputyLeader,
    Leader,
}

impl Rank {
    pub const ALL: [(&'static str, Rank); 5] = [
        ("staff", Rank::Staff),
        ("deputy_head", Rank::DeputyHead),
        ("head", Rank::Head),
        ("deputy_leader", Rank::DeputyLeader),
        ("leader", Rank::Leader),
    ];

    pub fn as_str(self) -> &'static str {
        Rank::ALL
            .iter()
            .find(|(_, r)| *r == self)
            .map_or("staff", |(s, _)| s)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Role {
    pub id: String,
    pub name: String,
    pub rank: Rank,
    pub staff: Option<u32>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Agency {
    pub id: String,
    pub name: String,
    pub external: bool,
    pub roles: Vec<Role>,
    /// Declared at the top level of a file (shared by the project), not inside a procedure.
    pub shared: bool,
    pub file: FileId,
    pub span: Span,
}

impl Agency {
    pub fn role(&self, id: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.id == id)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Province,
    /// The district level (cấp huyện), abolished on 2025-07-01: it still parses, and QT110
    /// reports it in procedures checked on or after that date.
    District,
    /// The commune level (cấp xã: xã, phường, đặc khu); `ward` is its synonym.
    Commune,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Online {
    Full,
    Partial,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Status {
    #[default]
    Draft,
    Submitted,
    Approved,
}

/// Expected dossiers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Volume {
    PerMonth(f64),
    PerYear(f64),
}

/// Working days in a month and in a year, to turn a `volume` into dossiers a working day
/// (RULES.md, QT305).
pub const WORKING_DAYS_PER_MONTH: f64 = 22.0;
/// See [`WORKING_DAYS_PER_MONTH`].
pub const WORKING_DAYS_PER_YEAR: f64 = 250.0;

impl Volume {
    /// Dossiers a working day.
    pub fn per_working_day(self) -> f64 {
        match self {
            Volume::PerMonth(n) => n / WORKING_DAYS_PER_MONTH,
            Volume::PerYear(n) => n / WORKING_DAYS_PER_YEAR,
        }
    }
}

macro_rules! keyword_enum {
    ($ty:ident { $($word:literal => $variant:ident),* $(,)? }) => {
        impl $ty {
            pub const WORDS: &'static [&'static str] = &[$($word),*];
            pub fn parse(word: &str) -> Option<$ty> {
                match word { $($word => Some($ty::$variant),)* _ => None }
            }
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $word,)* }
            }
        }
    };
}

impl Level {
    /// The words `level` accepts: `ward` is a synonym of `commune`, kept for files written
    /// before the two-tier local government (1 July 2025).
    pub const WORDS: &'static [&'static str] = &["province", "commune", "ward", "district"];
    pub fn parse(word: &str) -> Option<Level> {
        match word {
            "province" => Some(Level::Province),
            "commune" | "ward" => Some(Level::Commune),
            "district" => Some(Level::District),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Province => "province",
            Level::District => "district",
            Level::Commune => "commune",
        }
    }
}
keyword_enum!(Online { "full" => Full, "partial" => Partial, "none" => None });
keyword_enum!(Status { "draft" => Draft, "submitted" => Submitted, "approved" => Approved });
keyword_enum!(Kind {
    "receive" => Receive, "assign" => Assign, "transfer" => Transfer, "process" => Process,
    "inspect" => Inspect, "consult" => Consult, "review" => Review, "sign" => Sign,
    "issue" => Issue, "pay" => Pay, "supplement" => Supplement, "deliver" => Deliver,
    "reject" => Reject,
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Receive,
    Assign,
    Transfer,
    Process,
    Inspect,
    Consult,
    Review,
    Sign,
    Issue,
    Pay,
    Supplement,
    Deliver,
    Reject,
}

impl Kind {
    pub fn is_terminal(self) -> bool {
        matches!(self, Kind::Deliver | Kind::Reject)
    }
}

/// Who does a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Actor {
    Citizen,
    /// A role of `procedure.agencies[agency]`.
    Role {
        agency: usize,
        role: usize,
    },
}

/// A text with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub id: String,
    pub name: String,
    pub span: Span,
    pub id_span: Span,
    pub by: Option<Spanned<Actor>>,
    pub kind: Option<Spanned<Kind>>,
    pub takes: Option<Spanned<Minutes>>,
    pub effort: Option<Spanned<Minutes>>,
    pub requires: Vec<Spanned<String>>,
    pub produces: Vec<Spanned<String>>,
    pub digitize: bool,
    pub in_person: Option<Span>,
    pub paper: Option<Span>,
}

impl Step {
    pub fn kind(&self) -> Option<Kind> {
        self.kind.as_ref().map(|k| k.value)
    }

    pub fn is_citizen(&self) -> bool {
        matches!(self.by.as_ref().map(|b| b.value), Some(Actor::Citizen))
    }

    /// Whether the clock runs during this step (not a citizen's or a supplement step).
    pub fn is_counted(&self) -> bool {
        !self.is_citizen() && self.kind() != Some(Kind::Supplement)
    }

    /// The working time the step adds to a path: its `takes` if the clock runs.
    pub fn cost(&self) -> Minutes {
        if self.is_counted() {
            self.takes.as_ref().map_or(0, |t| t.value)
        } else {
            0
        }
    }

    /// The agency index of the step's role, if done by a role.
    pub fn agency(&self) -> Option<usize> {
        match self.by.as_ref()?.value {
            Actor::Role { agency, .. } => Some(agency),
            Actor::Citizen => None,
        }
    }
}

/// A node of a procedure's flow: a step, or a gateway of a parallel block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeRef {
    Step(usize),
    Gateway(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GatewayKind {
    /// Where a parallel block starts: every branch runs.
    Fork,
    /// Where a parallel block ends: waits for every branch.
    Join,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gateway {
    pub kind: GatewayKind,
    /// The parallel block `{…}` it belongs to.
    pub span: Span,
    /// For a join, the fork of the same block.
    pub pair: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    When(String),
    Otherwise,
}

/// One edge of the flow, in written order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub from: NodeRef,
    pub to: NodeRef,
    /// Set on the first hop of a labelled flow.
    pub condition: Option<Spanned<Condition>>,
    /// The target as written, for pointing at the edge.
    pub span: Span,
    /// The whole `flow` line.
    pub flow_span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Procedure {
    pub id: String,
    pub name: String,
    pub file: FileId,
    pub span: Span,
    pub id_span: Span,
    pub code: Option<String>,
    pub level: Option<Level>,
    /// Where `level` is written (the property), for findings about it (QT110).
    pub level_span: Option<Span>,
    pub field: Option<String>,
    pub basis: Vec<String>,
    pub limit: Option<Spanned<Minutes>>,
    pub online: Option<Spanned<Online>>,
    pub volume: Option<Spanned<Volume>>,
    pub status: Spanned<Status>,
    pub decision: Option<Spanned<String>>,
    /// The agencies its steps use (shared or local, in order of first use), then unused
    /// local agencies. A shared agency is one value behind an `Arc`, shared by every
    /// procedure that uses it.
    pub agencies: Vec<Arc<Agency>>,
    pub steps: Vec<Step>,
    pub gateways: Vec<Gateway>,
    pub edges: Vec<Edge>,
    /// The step indices sorted by step id, for lookups by name in O(log n); built by
    /// [`Procedure::index_steps`] once the steps are known (step ids are unique).
    pub(crate) step_order: Vec<u32>,
}

impl Procedure {
    /// The index of the step with this id (binary search in [`Procedure::step_order`]).
    pub fn step(&self, id: &str) -> Option<usize> {
        if self.step_order.len() != self.steps.len() {
            // Not indexed (a procedure built by hand): fall back to a scan.
            return self.steps.iter().position(|s| s.id == id);
        }
        self.step_order
            .binary_search_by(|&i| self.steps[i as usize].id.as_str().cmp(id))
            .ok()
            .map(|k| self.step_order[k] as usize)
    }

    /// Builds the index of steps by id.
    pub(crate) fn index_steps(&mut self) {
        let mut order: Vec<u32> = (0..self.steps.len() as u32).collect();
        order.sort_by(|&a, &b| self.steps[a as usize].id.cmp(&self.steps[b as usize].id));
        self.step_order = order;
    }

    /// The agency and role of a step, when done by a role.
    pub fn role_of(&self, step: &Step) -> Option<(&Agency, &Role)> {
        match step.by.as_ref()?.value {
            Actor::Role { agency, role } => {
                let agency = self.agencies.get(agency)?;
                Some((agency, agency.roles.get(role)?))
            }
            Actor::Citizen => None,
        }
    }
}

/// Reads a duration written as in `.proc` files (`15min`, `4h`, `0.5d`) into minutes.
pub fn parse_duration(text: &str) -> Option<Minutes> {
    let text = text.trim();
    let (number, per_unit) = if let Some(n) = text.strip_suffix("min") {
        (n, 1.0)
    } else if let Some(n) = text.strip_suffix('h') {
        (n, 60.0)
    } else if let Some(n) = text.strip_suffix('d') {
        (n, DAY as f64)
    } else {
        return None;
    };
    if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    let minutes = (number.parse::<f64>().ok()? * per_unit).round();
    (minutes.is_finite() && minutes < 1e12).then_some(minutes as Minutes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turns_volumes_into_dossiers_a_working_day() {
        assert_eq!(Volume::PerMonth(220.0).per_working_day(), 10.0);
        assert_eq!(Volume::PerYear(2500.0).per_working_day(), 10.0);
    }
}
