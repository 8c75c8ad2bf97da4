//! People and roles: who is signed in, what they may be called, and the input rules
//! for signing up.
use crate::domain::grid::{Duty, GridId};
use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct UserId(pub i64);

/// A user's main role (design.md "Roles"). `volunteer` and `party_member` are flags a
/// resident may also hold, kept on [`SessionUser`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    Resident,
    GridWorker,
    Coordinator,
    Director,
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Resident,
        Role::GridWorker,
        Role::Coordinator,
        Role::Director,
        Role::Admin,
    ];

    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Resident => "resident",
            Role::GridWorker => "grid_worker",
            Role::Coordinator => "coordinator",
            Role::Director => "director",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self) -> Msg {
        match self {
            Role::Resident => Msg::RoleResident,
            Role::GridWorker => Msg::RoleGridWorker,
            Role::Coordinator => Msg::RoleCoordinator,
            Role::Director => Msg::RoleDirector,
            Role::Admin => Msg::RoleAdmin,
        }
    }

    /// Staff see staff contact details unmasked (and each such read is audited).
    pub fn is_staff(self) -> bool {
        !matches!(self, Role::Resident)
    }
}

/// The signed-in user as the server resolved it for this request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionUser {
    pub id: UserId,
    pub name: String,
    /// Masked (`138****5678`); the full number never travels to the browser here.
    pub phone_masked: String,
    pub role: Role,
    pub volunteer: bool,
    pub party_member: bool,
    /// For grid workers: the grids they serve and their duty there.
    pub grids: Vec<(GridId, Duty)>,
    /// The level-3 grid they live in, when the residents registry knows them (alerts
    /// for other grids are not shown to them); `None` sees every alert.
    pub home: Option<GridId>,
    /// Whether a staff member confirmed that this number is the person's own. Until
    /// then the account is not linked to the registry (`home` is `None`).
    #[serde(default)]
    pub phone_verified: bool,
    /// 长辈版 (elder mode) chosen for this account.
    #[serde(default)]
    pub elder: bool,
}

/// A successful sign-in: the user, and the browser's long-lived "known device" token
/// (the server function sets it as an HttpOnly cookie).
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: SessionUser,
    pub device_token: String,
}

/// Who is making a request: nobody, or a signed-in user.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Actor {
    pub user: Option<SessionUser>,
}

impl Actor {
    pub fn anonymous() -> Self {
        Self { user: None }
    }

    pub fn role(&self) -> Option<Role> {
        self.user.as_ref().map(|u| u.role)
    }

    pub fn user_id(&self) -> Option<UserId> {
        self.user.as_ref().map(|u| u.id)
    }
}

/// Mainland mobile numbers: 11 digits starting 13–19. Spaces and dashes typed by
/// people are dropped first.
pub fn normalize_phone(input: &str) -> Result<String, Msg> {
    let digits: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    let ok = digits.len() == 11
        && digits.chars().all(|c| c.is_ascii_digit())
        && digits.starts_with('1')
        && matches!(digits.as_bytes()[1], b'3'..=b'9');
    if ok { Ok(digits) } else { Err(Msg::ErrPhone) }
}

/// `13812345678` → `138****5678`.
pub fn mask_phone(phone: &str) -> String {
    if phone.len() == 11 && phone.is_ascii() {
        format!("{}****{}", &phone[..3], &phone[7..])
    } else {
        "****".to_owned()
    }
}

/// Where to go after signing in: `next` only when it is a path on this site. Browsers
/// drop tabs and newlines from a URL and read `\` as `/`, so `/\evil.example/` or
/// `/<tab>/evil.example/` would leave the site; anything with a control character,
/// a space or a backslash, or that does not start with exactly one `/`, is refused.
pub fn safe_next(next: &str) -> Option<&str> {
    let bad = |c: char| c.is_control() || c.is_whitespace() || c == '\\';
    let mut chars = next.chars();
    let ok = chars.next() == Some('/')
        && chars.next() != Some('/')
        && !next.chars().any(bad)
        && next.len() <= 2048;
    ok.then_some(next)
}

pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 128;

pub fn check_password(pw: &str) -> Result<(), Msg> {
    let n = pw.chars().count();
    if !(PASSWORD_MIN..=PASSWORD_MAX).contains(&n) {
        return Err(Msg::ErrPasswordLength);
    }
    Ok(())
}

/// A display name: trimmed, 1–20 characters (Chinese names are 2–4).
pub fn normalize_name(input: &str) -> Result<String, Msg> {
    let name = input.trim();
    let n = name.chars().count();
    if n == 0 || n > 20 || name.chars().any(char::is_control) {
        return Err(Msg::ErrName);
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(
            safe_next("/shifts/3/checkin?t=ab"),
            Some("/shifts/3/checkin?t=ab")
        );
        assert_eq!(safe_next("/"), Some("/"));
        for bad in [
            "",
            "//evil.example/",
            "/\\evil.example/",
            "\\\\evil.example",
            "/\t/evil.example/",
            "/\n/evil.example/",
            "/ /evil.example",
            "https://evil.example/",
            "javascript:alert(1)",
            "evil.example",
        ] {
            assert_eq!(safe_next(bad), None, "{bad:?}");
        }
    }

    use super::*;

    #[test]
    fn phone_rules() {
        assert_eq!(
            normalize_phone("138 1234-5678").as_deref(),
            Ok("13812345678")
        );
        assert!(normalize_phone("12812345678").is_err());
        assert!(normalize_phone("1381234567").is_err());
        assert!(normalize_phone("1381234567a").is_err());
        assert!(normalize_phone("").is_err());
    }

    #[test]
    fn masking_hides_the_middle() {
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("123"), "****");
    }

    #[test]
    fn password_length_counts_characters() {
        assert!(check_password("1234567").is_err());
        assert!(check_password("12345678").is_ok());
        assert!(check_password("同心同心同心同心").is_ok());
        assert!(check_password(&"x".repeat(129)).is_err());
    }

    #[test]
    fn names() {
        assert_eq!(normalize_name("  潘月丽 ").as_deref(), Ok("潘月丽"));
        assert!(normalize_name("   ").is_err());
        assert!(normalize_name(&"名".repeat(21)).is_err());
    }

    #[test]
    fn roles_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert!(!Role::Resident.is_staff());
        assert!(Role::GridWorker.is_staff());
    }
}
