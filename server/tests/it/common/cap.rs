//! Validation of CAP output against the official OASIS CAP 1.2 schema
//! (`tests/data/CAP-v1.2.xsd`) with xmllint, which `.ci/setup.sh` installs
//! (Debian package libxml2-utils).
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

/// The OASIS CAP 1.2 schema, unchanged.
pub const CAP_XSD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/CAP-v1.2.xsd");

/// Checks `xml` against the CAP 1.2 schema: `Err` with xmllint's messages when it is
/// not valid, or with the reason when xmllint cannot be run (never a silent pass).
pub fn xmllint_cap(xml: &str) -> Result<(), String> {
    static N: AtomicU32 = AtomicU32::new(0);
    let path = std::env::temp_dir().join(format!(
        "tongxin-cap-{}-{}.xml",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&path, xml).map_err(|e| format!("writing {}: {e}", path.display()))?;
    let out = Command::new("xmllint")
        .args(["--noout", "--schema", CAP_XSD])
        .arg(&path)
        .output();
    let _ = std::fs::remove_file(&path);
    let out = out.map_err(|e| {
        format!("cannot run xmllint ({e}); install it: apt-get install libxml2-utils")
    })?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}
