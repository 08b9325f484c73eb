//! The chairman's approval packet (`ID.html`), its Word copy (`ID.docx`) and the catalogue
//! of packets (`index.html`).

mod docx;
mod html;
mod index;
pub mod legal;
pub mod wording;

pub use docx::{diagram_png, packet_docx};
pub use html::{
    Change, Issuer, PacketInput, Proposal, date_line, date_vi, days_left_vi, keep_names,
    packet_html,
};
pub use index::{IndexEntry, index_html};
