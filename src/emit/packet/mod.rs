//! The chairman's approval packet (`ID.html`), its Word copy (`ID.docx`) and the catalogue
//! of packets (`index.html`).

mod archive;
mod docx;
mod html;
mod index;
pub mod legal;
mod shared;
pub mod wording;

pub use docx::{diagram_pictures, packet_docx};
pub use html::{
    Change, Issuer, PacketInput, Proposal, date_line, keep_names, packet_html, packet_html_with,
    without_codes,
};
pub use index::{IndexEntry, index_html};
pub use shared::{date_vi, days_left_vi};
