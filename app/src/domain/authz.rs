//! Who may do what: one table, used by every service, tested once here and once
//! end to end over HTTP (server/tests/authz.rs).
use crate::domain::AppError;
use crate::domain::user::{Actor, Role};

/// Everything a caller may ask for that needs a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// See grids, their names, shapes and who serves them (masked phones).
    ViewGrids,
    /// See staff phone numbers unmasked (each read audited).
    ViewStaffContacts,
    /// Download all grids as GeoJSON.
    ExportGrids,
    /// Create or replace grids from GeoJSON.
    ImportGrids,
    /// Read and change one's own account.
    OwnAccount,
    /// Report a ticket (problem, dispute, service request).
    ReportTicket,
    /// See tickets on the map and public problem reports (reporter hidden).
    ViewPublicTickets,
    /// Work a queue of tickets and see the board.
    WorkTickets,
    /// Edit ticket categories (directors: their community's service menu only).
    ManageCategories,
    /// See the residents registry (masked) and, audited, one resident's numbers.
    ViewResidents,
    /// Import residents from CSV/XLSX.
    ImportResidents,
    /// Read the audit log.
    ViewAudit,
    /// Compose, publish and withdraw alerts.
    PublishAlerts,
    /// Read alerts and the inbox.
    ViewAlerts,
    /// Answer an alert (收到 / 我安全 / 需要帮助).
    AnswerAlerts,
    /// See coverage and follow-up lists, record in-person follow-ups.
    FollowUpAlerts,
    /// Send staff notices (工作通知) and see who has read them.
    SendNotices,
    /// Receive and read staff notices.
    ReadNotices,
    /// Post and close lost-person notices (寻人), see their tips on a map.
    ManageMissing,
    /// Read lost-person notices.
    ViewMissing,
    /// Send a tip on a lost-person notice.
    SendTips,
    /// Have alerts pushed to this browser (Web Push).
    SubscribePush,
    /// See volunteer shifts and community events.
    ViewShifts,
    /// Sign up for shifts and events, check in, see one's own hours.
    JoinShifts,
    /// Make and call off shifts, see rosters, check people in by hand.
    ManageShifts,
    /// See the seniors' council (闲事会) board: concerns, agenda, outcomes.
    ViewCouncil,
    /// Raise a concern and support others'.
    RaiseConcerns,
    /// Put concerns on the Wednesday agenda and record outcomes.
    ManageCouncil,
    /// See one's own assessment (grid workers).
    ViewOwnAssessment,
    /// See the assessment of the staff in one's scope.
    ViewStaffAssessment,
    /// Run the month's scoring by hand.
    RunAssessment,
    /// Give manual points with evidence, publish a month, decide appeals (within one's
    /// community; never on points one gave oneself).
    ReviewAssessment,
    /// Appeal an entry of one's own published month.
    AppealAssessment,
    /// Send the street a complaint or suggestion, and read one's own with answers.
    SendFeedback,
    /// Read every complaint and suggestion and answer them.
    AnswerFeedback,
    /// Log visits and calls (民情日志) and see one's care objects due.
    KeepWorkLog,
    /// Read the work log and care coverage of one's scope.
    ReadWorkLog,
    /// Comment on entries (点评) and set care plans, within one's community.
    ReviewWorkLog,
    /// Choose which resident tags are cared for (关爱对象) and their default cycles.
    ManageCareTags,
    /// See the duty roster (值班), swap one's own shifts, and while on duty keep the duty
    /// log and acknowledge the handover (the street's and one's own community's).
    ViewDuty,
    /// Plan the month's duty and approve swaps (directors: their community).
    PlanDuty,
    /// 重点场所: see, register and inspect the sites of one's community (admins: all).
    ViewSites,
    ManageSiteTypes,
    /// The SMS channel's provider, keys and timing (`/admin/sms`), and its test message.
    ManageSms,
    /// 雪亮工程: watch the cameras of one's community (admins: all), with a reason.
    WatchCameras,
    ManageCameras,
    /// The command screen: admins the street or any community, staff their own.
    ViewCommand,
    /// Study: sign in daily, take quizzes, earn points, see rankings.
    Study,
    /// Edit the points rules (and, later, the question bank and courses).
    ManageStudy,
}

/// Who may: `None` in the list stands for someone not signed in.
pub fn allowed_roles(action: Action) -> &'static [Option<Role>] {
    use Role::*;
    const EVERYONE: &[Option<Role>] = &[
        None,
        Some(Resident),
        Some(GridWorker),
        Some(Coordinator),
        Some(Director),
        Some(Admin),
    ];
    const SIGNED_IN: &[Option<Role>] = &[
        Some(Resident),
        Some(GridWorker),
        Some(Coordinator),
        Some(Director),
        Some(Admin),
    ];
    const STAFF: &[Option<Role>] = &[
        Some(GridWorker),
        Some(Coordinator),
        Some(Director),
        Some(Admin),
    ];
    match action {
        Action::ViewGrids
        | Action::ViewPublicTickets
        | Action::ViewAlerts
        | Action::ViewMissing
        | Action::ViewShifts
        | Action::ViewCouncil => EVERYONE,
        Action::OwnAccount
        | Action::ReportTicket
        | Action::AnswerAlerts
        | Action::SendTips
        | Action::SubscribePush
        | Action::JoinShifts
        | Action::RaiseConcerns
        | Action::SendFeedback
        | Action::Study => SIGNED_IN,
        Action::WorkTickets
        | Action::ViewResidents
        | Action::FollowUpAlerts
        | Action::ManageMissing
        | Action::ReadNotices => &[Some(GridWorker), Some(Director), Some(Admin)],
        Action::ManageCategories
        | Action::ImportResidents
        | Action::PublishAlerts
        | Action::SendNotices => &[Some(Director), Some(Admin)],
        Action::ManageShifts | Action::ManageCouncil => {
            &[Some(Coordinator), Some(Director), Some(Admin)]
        }
        Action::ViewAudit
        | Action::ManageStudy
        | Action::RunAssessment
        | Action::AnswerFeedback
        | Action::ManageCareTags
        | Action::ManageSiteTypes
        | Action::ManageSms => &[Some(Admin)],
        Action::ViewOwnAssessment | Action::AppealAssessment | Action::KeepWorkLog => {
            &[Some(GridWorker)]
        }
        Action::ReadWorkLog
        | Action::ViewDuty
        | Action::ViewSites
        | Action::WatchCameras
        | Action::ViewCommand => &[Some(GridWorker), Some(Director), Some(Admin)],
        Action::PlanDuty | Action::ManageCameras => &[Some(Director), Some(Admin)],
        Action::ReviewWorkLog => &[Some(Director), Some(Admin)],
        Action::ViewStaffAssessment | Action::ReviewAssessment => &[Some(Director), Some(Admin)],
        Action::ViewStaffContacts | Action::ExportGrids => STAFF,
        Action::ImportGrids => &[Some(Admin)],
    }
}

pub fn allowed(actor: &Actor, action: Action) -> bool {
    allowed_roles(action).contains(&actor.role())
}

/// `Ok` when allowed; otherwise 401 for nobody signed in, 403 for the wrong role.
pub fn require(actor: &Actor, action: Action) -> Result<(), AppError> {
    if allowed(actor, action) {
        Ok(())
    } else if actor.user.is_none() {
        Err(AppError::Unauthorized)
    } else {
        Err(AppError::Forbidden)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::user::{SessionUser, UserId};

    fn as_role(role: Role) -> Actor {
        Actor {
            user: Some(SessionUser {
                id: UserId(1),
                name: "x".into(),
                phone_masked: String::new(),
                role,
                volunteer: false,
                party_member: false,
                grids: vec![],
                home: None,
                phone_verified: false,
                elder: false,
            }),
        }
    }

    #[test]
    fn import_is_admin_only() {
        assert_eq!(
            require(&Actor::anonymous(), Action::ImportGrids),
            Err(AppError::Unauthorized)
        );
        for r in Role::ALL {
            let ok = require(&as_role(r), Action::ImportGrids).is_ok();
            assert_eq!(ok, r == Role::Admin, "{r:?}");
        }
    }

    #[test]
    fn residents_never_see_staff_contacts() {
        assert!(!allowed(
            &as_role(Role::Resident),
            Action::ViewStaffContacts
        ));
        assert!(!allowed(&Actor::anonymous(), Action::ViewStaffContacts));
        assert!(allowed(
            &as_role(Role::GridWorker),
            Action::ViewStaffContacts
        ));
    }

    #[test]
    fn everyone_sees_grids() {
        assert!(allowed(&Actor::anonymous(), Action::ViewGrids));
        assert_eq!(
            require(&Actor::anonymous(), Action::OwnAccount),
            Err(AppError::Unauthorized)
        );
    }
}
