//! 雪亮工程 cameras: points on the map with their GB/T 28181 device and channel ids.
//! Video stays on the street's video platform; Tongxin asks it for a play address
//! when someone watches, and logs who watched and why.
use crate::domain::AppError;
use crate::domain::error::check_text;
use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

pub const NAME_MAX: usize = 40;
pub const REASON_MAX: usize = 100;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Camera {
    pub id: i64,
    pub name: String,
    pub lat: f64,
    pub lng: f64,
    pub grid_name: String,
    pub site: Option<i64>,
    pub site_name: String,
    pub device_id: String,
    pub channel_id: String,
}

/// A camera as registered (new when `id` is `None`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CameraInput {
    pub id: Option<i64>,
    pub name: String,
    pub lat: f64,
    pub lng: f64,
    pub site: Option<i64>,
    pub device_id: String,
    pub channel_id: String,
}

/// The cameras a staff member may watch, and whether a platform answers for them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CameraBoard {
    pub cameras: Vec<Camera>,
    /// The platform's name when one is configured; `None`: video cannot be shown here.
    pub provider: Option<String>,
    pub may_manage: bool,
}

/// Where to watch: the HLS address the platform gave and, if it has one, a snapshot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlayAddress {
    pub hls: String,
    pub snapshot: Option<String>,
}

/// A GB/T 28181 code: 20 digits (centre, industry, type and serial number).
pub fn check_gb_id(field: &str, s: &str) -> Result<(), AppError> {
    if s.len() == 20 && s.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(AppError::invalid(field, Msg::CamErrGbId))
    }
}

pub fn check_camera(c: &CameraInput) -> Result<(), AppError> {
    check_text("name", &c.name, NAME_MAX, true)?;
    check_gb_id("device_id", c.device_id.trim())?;
    check_gb_id("channel_id", c.channel_id.trim())
}

/// Why someone watches: a ticket number, or a few words; one of the two is needed.
pub fn check_reason(ticket: Option<i64>, note: &str) -> Result<(), AppError> {
    check_text("reason", note, REASON_MAX, false)?;
    if ticket.is_none_or(|t| t <= 0) && note.trim().is_empty() {
        return Err(AppError::invalid("reason", Msg::CamErrReason));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gb_ids_are_twenty_digits() {
        assert!(check_gb_id("d", "41100000001320000001").is_ok());
        assert!(check_gb_id("d", "4110000000132000000").is_err());
        assert!(check_gb_id("d", "4110000000132000000x").is_err());
    }

    #[test]
    fn a_view_needs_a_ticket_or_a_note() {
        assert!(check_reason(Some(12), "").is_ok());
        assert!(check_reason(None, "巡查老街商场出口").is_ok());
        assert_eq!(
            check_reason(None, "  "),
            Err(AppError::invalid("reason", Msg::CamErrReason))
        );
        assert!(check_reason(Some(0), "").is_err());
        assert!(check_reason(None, &"长".repeat(101)).is_err());
    }
}
