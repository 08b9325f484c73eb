//! The zip archive of a Word file, written at once into memory: each part stored, or
//! deflated (raw deflate, zlib's fastest level), its entries without timestamps (1 January
//! 1980, as zip's epoch) so that the same parts give the same bytes.
//!
//! A compressor holds about 300 KB of tables; making one zeroes them all, and `build` makes
//! a packet a procedure. Each thread keeps its compressor from one packet to the next and
//! only resets it ([`Archive::deflated`]).

use std::cell::RefCell;

use flate2::{Compress, Compression, FlushCompress, Status};

/// Zip's date of 1 January 1980 (MS-DOS format: day 1, month 1, year 0), the time 00:00.
const DOS_DATE: u16 = (1 << 5) | 1;
/// The version of the format the entries need: 2.0 (deflate).
const VERSION: u16 = 20;
/// Compression methods.
const STORED: u16 = 0;
const DEFLATED: u16 = 8;

thread_local! {
    static COMPRESSOR: RefCell<Option<Compress>> = const { RefCell::new(None) };
}

/// One entry of the central directory.
struct Entry {
    name: &'static str,
    method: u16,
    crc: u32,
    compressed: u32,
    size: u32,
    offset: u32,
}

/// An archive being written: the entries' local headers and data so far, and what the
/// central directory will say of each.
pub struct Archive {
    out: Vec<u8>,
    entries: Vec<Entry>,
}

/// Why an archive could not be written.
#[derive(Debug)]
pub enum Unwritten {
    /// A part or the archive is larger than a zip without its 64-bit extension holds (4 GB).
    TooLarge,
    /// The compressor refused its input.
    Compressor,
}

impl std::fmt::Display for Unwritten {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Unwritten::TooLarge => "the Word file would exceed 4 GB",
            Unwritten::Compressor => "the compressor failed",
        })
    }
}

fn u32_of(n: usize) -> Result<u32, Unwritten> {
    u32::try_from(n).map_err(|_| Unwritten::TooLarge)
}

impl Archive {
    /// An empty archive; `capacity`, the bytes it is likely to take.
    pub fn with_capacity(capacity: usize) -> Archive {
        Archive {
            out: Vec::with_capacity(capacity),
            entries: Vec::new(),
        }
    }

    /// A part whose text is `pieces` one after the other, stored as it is.
    pub fn stored(&mut self, name: &'static str, pieces: &[&str]) -> Result<(), Unwritten> {
        let header = self.header(name)?;
        for piece in pieces {
            self.out.extend_from_slice(piece.as_bytes());
        }
        self.close(header, name, STORED, pieces)
    }

    /// A part whose text is `pieces` one after the other, deflated with this thread's
    /// compressor (made at its first part, then reset for each).
    pub fn deflated(&mut self, name: &'static str, pieces: &[&str]) -> Result<(), Unwritten> {
        let header = self.header(name)?;
        let out = &mut self.out;
        let kept = COMPRESSOR
            .try_with(|kept| {
                let mut kept = kept.try_borrow_mut().ok()?;
                let compress = match kept.as_mut() {
                    Some(compress) => {
                        compress.reset();
                        compress
                    }
                    None => kept.insert(compressor()),
                };
                Some(deflate(compress, pieces, out))
            })
            .ok()
            .flatten();
        match kept {
            Some(done) => done?,
            None => deflate(&mut compressor(), pieces, out)?,
        }
        self.close(header, name, DEFLATED, pieces)
    }

    /// The archive: its entries, then the central directory and its end.
    pub fn finish(mut self) -> Result<Vec<u8>, Unwritten> {
        let start = u32_of(self.out.len())?;
        for e in &self.entries {
            let out = &mut self.out;
            put32(out, 0x0201_4b50);
            put16(out, VERSION); // made by: MS-DOS attributes, version 2.0
            put16(out, VERSION);
            put16(out, 0); // flags
            put16(out, e.method);
            put16(out, 0); // time
            put16(out, DOS_DATE);
            put32(out, e.crc);
            put32(out, e.compressed);
            put32(out, e.size);
            put16(out, e.name.len() as u16);
            put16(out, 0); // extra field
            put16(out, 0); // comment
            put16(out, 0); // disk
            put16(out, 0); // internal attributes
            put32(out, 0); // external attributes
            put32(out, e.offset);
            out.extend_from_slice(e.name.as_bytes());
        }
        let size = u32_of(self.out.len())? - start;
        let count = u16::try_from(self.entries.len()).map_err(|_| Unwritten::TooLarge)?;
        let out = &mut self.out;
        put32(out, 0x0605_4b50);
        put16(out, 0); // this disk
        put16(out, 0); // the directory's disk
        put16(out, count);
        put16(out, count);
        put32(out, size);
        put32(out, start);
        put16(out, 0); // comment
        Ok(self.out)
    }

    /// Writes a local header whose sizes and checksum [`Archive::close`] fills in; its offset.
    fn header(&mut self, name: &'static str) -> Result<usize, Unwritten> {
        let at = self.out.len();
        u32_of(at)?;
        let name_length = u16::try_from(name.len()).map_err(|_| Unwritten::TooLarge)?;
        let out = &mut self.out;
        put32(out, 0x0403_4b50);
        put16(out, VERSION);
        put16(out, 0); // flags
        put16(out, 0); // method, filled in
        put16(out, 0); // time
        put16(out, DOS_DATE);
        put32(out, 0); // checksum, filled in
        put32(out, 0); // compressed size, filled in
        put32(out, 0); // size, filled in
        put16(out, name_length);
        put16(out, 0); // extra field
        out.extend_from_slice(name.as_bytes());
        Ok(at)
    }

    /// Fills in the local header at `at` now that the entry's data (`pieces`, stored or
    /// deflated) follows it, and notes the entry for the central directory.
    fn close(
        &mut self,
        at: usize,
        name: &'static str,
        method: u16,
        pieces: &[&str],
    ) -> Result<(), Unwritten> {
        let mut checksum = crc32fast::Hasher::new();
        for piece in pieces {
            checksum.update(piece.as_bytes());
        }
        let crc = checksum.finalize();
        let size = u32_of(pieces.iter().map(|p| p.len()).sum())?;
        let data = at + 30 + name.len();
        let compressed = u32_of(self.out.len() - data)?;
        let header = &mut self.out[at..data];
        header[8..10].copy_from_slice(&method.to_le_bytes());
        header[14..18].copy_from_slice(&crc.to_le_bytes());
        header[18..22].copy_from_slice(&compressed.to_le_bytes());
        header[22..26].copy_from_slice(&size.to_le_bytes());
        self.entries.push(Entry {
            name,
            method,
            crc,
            compressed,
            size,
            offset: u32_of(at)?,
        });
        Ok(())
    }
}

/// A raw deflate compressor at zlib's fastest level.
fn compressor() -> Compress {
    Compress::new(Compression::new(1), false)
}

/// Deflates `pieces` as one stream onto the end of `out`.
fn deflate(compress: &mut Compress, pieces: &[&str], out: &mut Vec<u8>) -> Result<(), Unwritten> {
    for piece in pieces {
        let mut input = piece.as_bytes();
        while !input.is_empty() {
            if out.capacity() - out.len() < 4096 {
                out.reserve(input.len() / 4 + 4096);
            }
            let read = compress.total_in();
            compress
                .compress_vec(input, out, FlushCompress::None)
                .map_err(|_| Unwritten::Compressor)?;
            let taken =
                usize::try_from(compress.total_in() - read).map_err(|_| Unwritten::TooLarge)?;
            input = input.get(taken..).unwrap_or_default();
        }
    }
    loop {
        if out.capacity() - out.len() < 4096 {
            out.reserve(8192);
        }
        match compress
            .compress_vec(&[], out, FlushCompress::Finish)
            .map_err(|_| Unwritten::Compressor)?
        {
            Status::StreamEnd => break,
            Status::Ok | Status::BufError => {}
        }
    }
    Ok(())
}

fn put16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn read_back(bytes: Vec<u8>) -> Vec<(String, zip::CompressionMethod, String)> {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
        (0..zip.len())
            .map(|k| {
                let mut part = zip.by_index(k).unwrap();
                let mut text = String::new();
                part.read_to_string(&mut text)
                    .expect("the part reads back, its checksum right");
                (part.name().unwrap().to_string(), part.compression(), text)
            })
            .collect()
    }

    #[test]
    fn parts_stored_and_deflated_read_back_whole_and_the_same_bytes_twice() {
        let long = "<w:p><w:r><w:t>Thẩm định hồ sơ</w:t></w:r></w:p>".repeat(2000);
        let make = || {
            let mut a = Archive::with_capacity(0);
            a.stored("[Content_Types].xml", &["<Types/>"]).unwrap();
            a.deflated("word/document.xml", &["<w:body>", &long, "", "</w:body>"])
                .unwrap();
            a.deflated("word/empty.xml", &[]).unwrap();
            a.stored("word/footer1.xml", &["<w:ftr>", "1", "</w:ftr>"])
                .unwrap();
            a.finish().unwrap()
        };
        let bytes = make();
        // The compressor kept by the thread gives the same bytes as a new one.
        assert_eq!(bytes, make());
        assert!(bytes.len() < long.len() / 8, "{} bytes", bytes.len());
        let parts = read_back(bytes);
        let names: Vec<&str> = parts.iter().map(|(n, _, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "[Content_Types].xml",
                "word/document.xml",
                "word/empty.xml",
                "word/footer1.xml"
            ]
        );
        assert_eq!(parts[0].1, zip::CompressionMethod::Stored);
        assert_eq!(parts[1].1, zip::CompressionMethod::Deflated);
        assert_eq!(parts[1].2, format!("<w:body>{long}</w:body>"));
        assert_eq!(parts[2].2, "");
        assert_eq!(parts[3].2, "<w:ftr>1</w:ftr>");
    }

    #[test]
    fn the_system_unzip_tests_the_archive() {
        if std::process::Command::new("unzip")
            .arg("-v")
            .output()
            .is_err()
        {
            // `.ci/setup-tools.sh` installs it: in CI its absence is a failure.
            assert!(std::env::var_os("CI").is_none(), "unzip is not installed");
            return;
        }
        let mut a = Archive::with_capacity(0);
        a.deflated(
            "word/document.xml",
            &["<w:document>", &"x".repeat(100_000), "</w:document>"],
        )
        .unwrap();
        a.stored("docProps/app.xml", &["<Properties/>"]).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.docx");
        std::fs::write(&path, a.finish().unwrap()).unwrap();
        let test = std::process::Command::new("unzip")
            .arg("-t")
            .arg(&path)
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&test.stdout);
        assert!(test.status.success(), "{said}");
        assert!(said.contains("No errors detected"), "{said}");
    }
}
