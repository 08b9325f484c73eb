//! The typed syntax tree of a `.proc` file: what was written, with where it was written.

use crate::diag::Span;

/// A name written in the source (`cap_gpxd`, `qldt`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A quoted text, escapes resolved and normalised to NFC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Str {
    pub value: String,
    pub span: Span,
}

/// A number as written: `0.5`, or `0,5` (a decimal comma, reported by the lowering).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number {
    pub text: String,
    pub span: Span,
}

/// A value after a property key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Str(Str),
    /// `name` or `agency.role`.
    Path(Vec<Ident>),
    Number(Number),
    /// `4h`: the number and the unit as written.
    Duration {
        number: Number,
        unit: String,
        span: Span,
    },
    /// `120/month`.
    Rate {
        number: Number,
        per: Ident,
        span: Span,
    },
}

impl Value {
    pub fn span(&self) -> Span {
        match self {
            Value::Str(s) => s.span,
            Value::Path(parts) => match (parts.first(), parts.last()) {
                (Some(a), Some(b)) => a.span.to(b.span),
                _ => Span::default(),
            },
            Value::Number(n) => n.span,
            Value::Duration { span, .. } | Value::Rate { span, .. } => *span,
        }
    }
}

/// `key value…`, one property of a procedure, step or role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property {
    pub key: Ident,
    pub values: Vec<Value>,
    pub span: Span,
}

/// A whole file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct File {
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Procedure(Procedure),
    Agency(Agency),
}

impl Item {
    pub fn span(&self) -> Span {
        match self {
            Item::Procedure(p) => p.span,
            Item::Agency(a) => a.span,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Procedure {
    pub id: Ident,
    pub name: Str,
    pub members: Vec<Member>,
    pub span: Span,
}

/// What a procedure block holds, in written order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Member {
    Property(Property),
    Agency(Agency),
    Step(Step),
    Flow(Flow),
}

impl Member {
    pub fn span(&self) -> Span {
        match self {
            Member::Property(p) => p.span,
            Member::Agency(a) => a.span,
            Member::Step(s) => s.span,
            Member::Flow(f) => f.span,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agency {
    pub id: Ident,
    pub name: Str,
    pub external: Option<Span>,
    pub roles: Vec<Role>,
    pub span: Span,
}

/// `role ID "NAME" [rank RANK] [staff N]`: the options are kept as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    pub id: Ident,
    pub name: Str,
    pub options: Vec<Property>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub id: Ident,
    pub name: Str,
    pub properties: Vec<Property>,
    pub span: Span,
}

/// `flow CHAIN [when "…" | otherwise]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    /// The first element is always a step name; the rest are steps or parallel blocks.
    pub chain: Vec<Node>,
    pub label: Option<Label>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Step(Ident),
    /// `{a -> b, c}`: each branch is itself a chain.
    Parallel {
        branches: Vec<Vec<Node>>,
        span: Span,
    },
}

impl Node {
    pub fn span(&self) -> Span {
        match self {
            Node::Step(id) => id.span,
            Node::Parallel { span, .. } => *span,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Label {
    When(Str),
    Otherwise(Span),
}
