//! The names of a project and where each is written: agencies, roles (`agency.role` after
//! `by`) and steps (declared, and named in `flow`), read from the syntax trees of the
//! project's files. Go to definition, find references, rename and the symbol lists use it.

use std::collections::HashSet;

use crate::diag::{FileId, Span};
use crate::syntax::ast;

/// Where an agency is declared: at the top level of a file (shared by the project) or
/// inside a procedure.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Scope {
    Shared,
    Local { file: FileId, procedure: String },
}

/// A named thing of a project.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Symbol {
    Agency {
        scope: Scope,
        id: String,
    },
    Role {
        scope: Scope,
        agency: String,
        id: String,
    },
    Step {
        file: FileId,
        procedure: String,
        id: String,
    },
}

impl Symbol {
    pub fn id(&self) -> &str {
        match self {
            Symbol::Agency { id, .. } | Symbol::Role { id, .. } | Symbol::Step { id, .. } => id,
        }
    }
}

/// One place a symbol is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    pub file: FileId,
    /// The identifier as written.
    pub span: Span,
    pub symbol: Symbol,
    /// Whether this is its declaration.
    pub definition: bool,
}

/// Every occurrence of every symbol of a project, file by file in written order.
#[derive(Debug, Default)]
pub struct Index {
    pub occurrences: Vec<Occurrence>,
}

impl Index {
    /// Reads the trees of a project's files.
    pub fn build(trees: &[(FileId, &ast::File)]) -> Index {
        let shared: HashSet<&str> = trees
            .iter()
            .flat_map(|(_, t)| t.items.iter())
            .filter_map(|item| match item {
                ast::Item::Agency(a) => Some(a.id.name.as_str()),
                ast::Item::Procedure(_) => None,
            })
            .collect();
        let mut out = Vec::new();
        for &(file, tree) in trees {
            for item in &tree.items {
                match item {
                    ast::Item::Agency(a) => agency(&mut out, file, a, Scope::Shared),
                    ast::Item::Procedure(p) => procedure(&mut out, file, p, &shared),
                }
            }
        }
        Index { occurrences: out }
    }

    /// The occurrence at a byte offset of a file (its identifier touching the offset).
    pub fn at(&self, file: FileId, offset: usize) -> Option<&Occurrence> {
        self.occurrences
            .iter()
            .find(|o| o.file == file && o.span.start <= offset && offset <= o.span.end)
    }

    /// Every occurrence of a symbol.
    pub fn of<'a>(&'a self, symbol: &'a Symbol) -> impl Iterator<Item = &'a Occurrence> + 'a {
        self.occurrences.iter().filter(move |o| &o.symbol == symbol)
    }

    /// Every declaration.
    pub fn definitions(&self) -> impl Iterator<Item = &Occurrence> {
        self.occurrences.iter().filter(|o| o.definition)
    }
}

fn agency(out: &mut Vec<Occurrence>, file: FileId, a: &ast::Agency, scope: Scope) {
    out.push(Occurrence {
        file,
        span: a.id.span,
        symbol: Symbol::Agency {
            scope: scope.clone(),
            id: a.id.name.clone(),
        },
        definition: true,
    });
    for r in &a.roles {
        out.push(Occurrence {
            file,
            span: r.id.span,
            symbol: Symbol::Role {
                scope: scope.clone(),
                agency: a.id.name.clone(),
                id: r.id.name.clone(),
            },
            definition: true,
        });
    }
}

fn procedure(out: &mut Vec<Occurrence>, file: FileId, p: &ast::Procedure, shared: &HashSet<&str>) {
    let local_scope = Scope::Local {
        file,
        procedure: p.id.name.clone(),
    };
    let local: HashSet<&str> = p
        .members
        .iter()
        .filter_map(|m| match m {
            ast::Member::Agency(a) => Some(a.id.name.as_str()),
            _ => None,
        })
        .collect();
    let step = |id: &ast::Ident, definition: bool| Occurrence {
        file,
        span: id.span,
        symbol: Symbol::Step {
            file,
            procedure: p.id.name.clone(),
            id: id.name.clone(),
        },
        definition,
    };
    for member in &p.members {
        match member {
            ast::Member::Agency(a) => agency(out, file, a, local_scope.clone()),
            ast::Member::Step(s) => {
                out.push(step(&s.id, true));
                for prop in s.properties.iter().filter(|p| p.key.name == "by") {
                    let Some(ast::Value::Path(parts)) = prop.values.first() else {
                        continue;
                    };
                    let [a, r] = parts.as_slice() else {
                        continue;
                    };
                    let scope = if local.contains(a.name.as_str()) {
                        local_scope.clone()
                    } else if shared.contains(a.name.as_str()) {
                        Scope::Shared
                    } else {
                        // Unknown (QT101): still one symbol, so renaming keeps the steps
                        // that name it together.
                        local_scope.clone()
                    };
                    out.push(Occurrence {
                        file,
                        span: a.span,
                        symbol: Symbol::Agency {
                            scope: scope.clone(),
                            id: a.name.clone(),
                        },
                        definition: false,
                    });
                    out.push(Occurrence {
                        file,
                        span: r.span,
                        symbol: Symbol::Role {
                            scope,
                            agency: a.name.clone(),
                            id: r.name.clone(),
                        },
                        definition: false,
                    });
                }
            }
            ast::Member::Flow(f) => {
                let mut names = Vec::new();
                flow_names(&f.chain, &mut names);
                for id in names {
                    out.push(step(id, false));
                }
            }
            ast::Member::Property(_) => {}
        }
    }
}

/// The step names of a flow chain, parallel blocks included (their nesting is bounded by
/// the parser).
pub fn flow_names<'a>(nodes: &'a [ast::Node], out: &mut Vec<&'a ast::Ident>) {
    for node in nodes {
        match node {
            ast::Node::Step(id) => out.push(id),
            ast::Node::Parallel { branches, .. } => {
                for b in branches {
                    flow_names(b, out);
                }
            }
        }
    }
}
