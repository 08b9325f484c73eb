//! The edges of one `flow` line: chains, parallel blocks as fork and join gateways, and the
//! label on the first edge.

use super::*;
use crate::diag::Span;
use crate::syntax::ast;

pub(super) struct FlowBuilder<'p> {
    pub(super) procedure: &'p mut Procedure,
    pub(super) flow_span: Span,
    /// The label of the flow, taken by its first edge.
    pub(super) condition: Option<Spanned<Condition>>,
}

impl FlowBuilder<'_> {
    fn edge(&mut self, from: NodeRef, to: NodeRef, span: Span) {
        let condition = self.condition.take();
        self.procedure.edges.push(Edge {
            from,
            to,
            condition,
            span,
            flow_span: self.flow_span,
        });
    }

    fn gateway(&mut self, kind: GatewayKind, span: Span, pair: Option<usize>) -> NodeRef {
        self.procedure.gateways.push(Gateway { kind, span, pair });
        NodeRef::Gateway(self.procedure.gateways.len() - 1)
    }

    /// Lowers a chain whose first node is entered from each of `preds`; returns its exits.
    pub(super) fn chain(&mut self, nodes: &[ast::Node], mut preds: Vec<NodeRef>) -> Vec<NodeRef> {
        for (i, node) in nodes.iter().enumerate() {
            let followed = i + 1 < nodes.len();
            preds = match node {
                ast::Node::Step(id) => {
                    let Some(index) = self.procedure.step(&id.name) else {
                        return Vec::new();
                    };
                    let here = NodeRef::Step(index);
                    for p in preds {
                        self.edge(p, here, id.span);
                    }
                    vec![here]
                }
                ast::Node::Parallel { branches, span } => {
                    let fork = self.gateway(GatewayKind::Fork, *span, None);
                    for p in preds {
                        self.edge(p, fork, *span);
                    }
                    let mut exits = Vec::new();
                    for branch in branches {
                        exits.extend(self.chain(branch, vec![fork]));
                    }
                    if followed {
                        let NodeRef::Gateway(f) = fork else {
                            unreachable!("a fork is a gateway")
                        };
                        let join = self.gateway(GatewayKind::Join, *span, Some(f));
                        for e in exits {
                            self.edge(e, join, *span);
                        }
                        vec![join]
                    } else {
                        exits
                    }
                }
            };
        }
        preds
    }
}

pub(super) fn collect_names<'a>(nodes: &'a [ast::Node], out: &mut Vec<&'a ast::Ident>) {
    for node in nodes {
        match node {
            ast::Node::Step(id) => out.push(id),
            ast::Node::Parallel { branches, .. } => {
                for b in branches {
                    collect_names(b, out);
                }
            }
        }
    }
}
