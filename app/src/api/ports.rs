//! The services the server functions call, as traits (implemented in
//! `server/src/services`).
use crate::domain::AppError;
use crate::domain::alert::{
    Alert, AlertAudience, AlertId, AlertInput, AnswerInput, Coverage, FollowUpList, InboxItem,
    Outcome,
};
use crate::domain::assessment::{
    CommunityMonth, ManualPoints, MonthStatus, PreviewLine, RuleSet, RulesPage, WorkerMonth,
    YearLine,
};
use crate::domain::camera::{CameraBoard, CameraInput, PlayAddress};
use crate::domain::command::CommandSnapshot;
use crate::domain::council::{ConcernId, ConcernInput, CouncilBoard, Decision};
use crate::domain::duty::{DutyBoard, LogInput as DutyLogInput, MonthPlan, OnDutyNow, SwapStatus};
use crate::domain::emergency::Ringing;
use crate::domain::feedback::{FeedbackView, NewFeedback};
use crate::domain::geo::{LatLng, MapConfig};
use crate::domain::grid::{Duty, GridDetail, GridId, GridSummary, ImportReport};
use crate::domain::lesson::{Course, CourseInput, Lesson, LessonInput, ProgressOutcome};
use crate::domain::missing::{Missing, MissingDetail, MissingId, MissingInput, TipInput};
use crate::domain::notice::{Notice, NoticeDetail, NoticeId, NoticeInput};
use crate::domain::party::{
    BranchRankings, MeetingDetail, MeetingInput, MeetingsPage, OrgInput, OrgTree,
};
use crate::domain::push::PushKeys;
use crate::domain::reminder::{InboxReminder, Prefs, PrefsView};
use crate::domain::resident::{
    AccountCheck, AuditPage, AuditQuery, Contact, ImportOutcome, ResidentFilter, ResidentId,
    ResidentPage,
};
use crate::domain::shift::{
    MonthHours, Recurrence, RosterLine, SeriesChange, Shift, ShiftDetail, ShiftId, ShiftInput,
    SignupOutcome, TeamChange, TeamId, TeamMember, TeamsInScope,
};
use crate::domain::site::{
    InspectionDone, InspectionInput, SiteBoard, SiteDetail, SiteInput, SiteTypeInput,
};
use crate::domain::sms::{SmsSettings, SmsSettingsView, SmsTestOutcome};
use crate::domain::stats::MonthFigures;
use crate::domain::study::{
    BankQuestion, PointsRule, Quiz, QuizResult, Rankings, StudyHome, WrongAnswer,
};
use crate::domain::ticket::{
    Category, CategoryInput, Marker, Nearby, Rating, TicketAction, TicketDetail, TicketFilter,
    TicketId, TicketStatus, TicketSummary,
};
use crate::domain::user::{Actor, SessionUser, SignedIn};
use crate::domain::worklog::{
    CareBoard, CareTags, LogEntry, LogScope, NewEntry as NewLogEntry, PlanInput,
};
use std::net::IpAddr;
use std::sync::Arc;
use tower_sessions::Session;

#[async_trait::async_trait]
pub trait AuthPort: Send + Sync {
    /// Anyone: creates a resident account and signs it in (rate-limited per address).
    async fn sign_up(
        &self,
        session: &Session,
        name: &str,
        phone: &str,
        password: &str,
        ip: Option<IpAddr>,
    ) -> Result<SessionUser, AppError>;
    /// Anyone, rate-limited per phone number and per address; a browser that signed in
    /// to this account before (`device`) has its own allowance.
    async fn log_in(
        &self,
        session: &Session,
        phone: &str,
        password: &str,
        ip: Option<IpAddr>,
        device: Option<&str>,
    ) -> Result<SignedIn, AppError>;
    /// Signed-in users.
    async fn log_out(&self, actor: &Actor, session: &Session) -> Result<(), AppError>;
    /// Signed-in users: 长辈版 on or off for their account.
    async fn set_elder(&self, actor: &Actor, on: bool) -> Result<(), AppError>;
}

#[async_trait::async_trait]
pub trait GridPort: Send + Sync {
    async fn list(&self, actor: &Actor) -> Result<Vec<GridSummary>, AppError>;
    async fn detail(&self, actor: &Actor, id: GridId) -> Result<GridDetail, AppError>;
    async fn locate(&self, actor: &Actor, at: LatLng) -> Result<Option<GridSummary>, AppError>;
    async fn import(&self, actor: &Actor, geojson: &str) -> Result<ImportReport, AppError>;
    /// The communities and grids the caller may send alerts and notices to.
    async fn targets(&self, actor: &Actor) -> Result<Vec<GridSummary>, AppError>;
    /// The full number of the grid's staff member with `duty`, to dial; audited.
    async fn staff_phone(
        &self,
        actor: &Actor,
        grid: GridId,
        duty: Duty,
    ) -> Result<String, AppError>;
    fn map_config(&self) -> MapConfig;
}

/// A report as it arrives (multipart from the phone, or Open311).
#[derive(Debug, Clone, Default)]
pub struct NewTicket {
    pub category: Option<i64>,
    pub description: String,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    /// Mediation: the parties.
    pub parties: String,
    pub idempotency_key: String,
    /// Photo files as uploaded, in order.
    pub photos: Vec<Vec<u8>>,
    /// 代报 (staff only): the resident's name and mobile number; empty otherwise.
    pub proxy_name: String,
    pub proxy_phone: String,
    /// A problem from the worker's own log that this report turns into a ticket.
    pub worklog_problem: Option<i64>,
}

/// A step on a ticket, with its note and photos as uploaded.
#[derive(Debug, Clone)]
pub struct TicketStep {
    pub action: TicketAction,
    /// With `Rate`: the reporter's answer.
    pub rating: Option<Rating>,
    pub note: String,
    pub duplicate_of: Option<TicketId>,
    pub photos: Vec<Vec<u8>>,
}

/// What `create` answers: the ticket, and whether this call made it (a retried submit
/// with the same key gets the earlier ticket back).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Created {
    pub id: TicketId,
    pub new: bool,
}

#[async_trait::async_trait]
pub trait TicketPort: Send + Sync {
    /// Anyone: the active categories (and, with `all`, for those who manage them,
    /// the inactive ones too).
    async fn categories(&self, actor: &Actor, all: bool) -> Result<Vec<Category>, AppError>;
    /// Admins; directors for their community's service menu.
    async fn save_category(&self, actor: &Actor, c: CategoryInput) -> Result<Category, AppError>;
    /// Signed-in users. Routed to the grid holding the location.
    async fn create(&self, actor: &Actor, t: NewTicket) -> Result<Created, AppError>;
    /// Handlers and the reporter, per the lifecycle rules.
    async fn act(
        &self,
        actor: &Actor,
        id: TicketId,
        step: TicketStep,
    ) -> Result<TicketStatus, AppError>;
    /// The reporter, staff; anyone for a problem report (reporter hidden).
    async fn detail(&self, actor: &Actor, id: TicketId) -> Result<TicketDetail, AppError>;
    /// The reporter's full number, for someone who handles the ticket; audited.
    async fn reporter_phone(&self, actor: &Actor, id: TicketId) -> Result<String, AppError>;
    /// Signed-in users: their own reports and those they follow, newest first.
    async fn mine(&self, actor: &Actor) -> Result<Vec<TicketSummary>, AppError>;
    /// Anyone: open problems of a category within `NEARBY_M` of a place, nearest
    /// first (none for disputes and service requests, which are private).
    async fn nearby(
        &self,
        actor: &Actor,
        category: i64,
        lat: f64,
        lng: f64,
    ) -> Result<Vec<Nearby>, AppError>;
    /// Signed-in users: follow an open problem instead of reporting it again; the
    /// number of people who reported it.
    async fn follow(&self, actor: &Actor, id: TicketId) -> Result<i64, AppError>;
    /// Anyone: a month's honest figures (`2026-12`; empty: this month) for the street
    /// and each community; staff also get each grid's.
    async fn stats(&self, actor: &Actor, month: String) -> Result<MonthFigures, AppError>;
    /// Grid workers (their grids), directors (their community), admins (all):
    /// soonest deadline first.
    async fn queue(&self, actor: &Actor, f: TicketFilter) -> Result<Vec<TicketSummary>, AppError>;
    /// Anyone: markers in a bounding box, at most `MARKERS_MAX`, newest first.
    async fn markers(
        &self,
        actor: &Actor,
        south: f64,
        west: f64,
        north: f64,
        east: f64,
    ) -> Result<Vec<Marker>, AppError>;
}

#[async_trait::async_trait]
pub trait ResidentPort: Send + Sync {
    /// Grid workers (their grids), directors (their community), admins: masked.
    async fn list(&self, actor: &Actor, f: ResidentFilter) -> Result<ResidentPage, AppError>;
    /// The same people: one resident's phone and ID number, each read audited.
    async fn contact(&self, actor: &Actor, id: ResidentId) -> Result<Contact, AppError>;
    /// The same people: the account using this resident's number is hers (checked in
    /// person or by phone); audited. 404 without such an account, 409 when done before.
    async fn confirm_account(
        &self,
        actor: &Actor,
        id: ResidentId,
        how: AccountCheck,
    ) -> Result<(), AppError>;
    /// Directors (their community's grids) and admins: a CSV or XLSX file; all rows
    /// or, with any bad row, none.
    async fn import(
        &self,
        actor: &Actor,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> Result<ImportOutcome, AppError>;
    /// Admins: the audit log, newest first, filtered and a page at a time.
    async fn audit(&self, actor: &Actor, q: AuditQuery) -> Result<AuditPage, AppError>;
}

#[async_trait::async_trait]
pub trait AlertPort: Send + Sync {
    /// Directors (their community) and admins.
    async fn publish(&self, actor: &Actor, input: AlertInput) -> Result<Alert, AppError>;
    /// The same people: whom an alert to `targets` would reach now (the grids, their
    /// registered residents, the pages open now); refuses targets outside their area.
    async fn audience(
        &self,
        actor: &Actor,
        targets: Vec<GridId>,
    ) -> Result<AlertAudience, AppError>;
    /// Directors (their own community's alerts) and admins.
    async fn cancel(&self, actor: &Actor, id: AlertId) -> Result<(), AppError>;
    /// Anyone: recent alerts (for a resident, those reaching their home grid) with
    /// their answers.
    async fn inbox(&self, actor: &Actor) -> Result<Vec<InboxItem>, AppError>;
    /// Anyone; marks it opened for a signed-in user.
    async fn detail(&self, actor: &Actor, id: AlertId) -> Result<InboxItem, AppError>;
    /// Signed-in users: their page received these alerts.
    async fn seen(&self, actor: &Actor, ids: Vec<AlertId>) -> Result<(), AppError>;
    /// Signed-in users, while the alert is in force.
    async fn answer(&self, actor: &Actor, id: AlertId, a: AnswerInput) -> Result<(), AppError>;
    /// Grid workers (their grids), directors (their community), admins (all).
    async fn coverage(&self, actor: &Actor, id: AlertId) -> Result<Coverage, AppError>;
    /// The same people; phone numbers unmasked for the grid's own staff only.
    async fn follow_ups(&self, actor: &Actor, id: AlertId) -> Result<FollowUpList, AppError>;
    /// The same people, for residents of grids in their scope.
    async fn reach(
        &self,
        actor: &Actor,
        id: AlertId,
        resident: ResidentId,
        outcome: Outcome,
        note: String,
    ) -> Result<(), AppError>;
}

#[async_trait::async_trait]
pub trait NoticePort: Send + Sync {
    /// Directors (their community) and admins: to the staff of the targeted grids.
    async fn send(&self, actor: &Actor, input: NoticeInput) -> Result<NoticeId, AppError>;
    /// Grid workers, directors, admins: notices to or from them (admins: all).
    async fn inbox(&self, actor: &Actor) -> Result<Vec<Notice>, AppError>;
    /// The same people, for a notice to or from them; opening it is the receipt.
    /// Its sender and admins get every recipient's receipt.
    async fn detail(&self, actor: &Actor, id: NoticeId) -> Result<NoticeDetail, AppError>;
    /// Anyone: how many notices to them are unread (0 for residents and nobody).
    async fn unread(&self, actor: &Actor) -> Result<u32, AppError>;
}

#[async_trait::async_trait]
pub trait MissingPort: Send + Sync {
    /// Grid workers, directors, admins: a lost-person notice with photos, pushed to
    /// every subscribed browser.
    async fn post(
        &self,
        actor: &Actor,
        input: MissingInput,
        photos: Vec<Vec<u8>>,
    ) -> Result<MissingId, AppError>;
    /// Anyone: open notices, then those found in the last days.
    async fn list(&self, actor: &Actor) -> Result<Vec<Missing>, AppError>;
    /// Anyone; tips only for staff.
    async fn detail(&self, actor: &Actor, id: MissingId) -> Result<MissingDetail, AppError>;
    /// Signed-in users, while the notice is open.
    async fn tip(
        &self,
        actor: &Actor,
        id: MissingId,
        tip: TipInput,
        photos: Vec<Vec<u8>>,
    ) -> Result<i64, AppError>;
    /// Grid workers, directors, admins: the person was found.
    async fn close(&self, actor: &Actor, id: MissingId, note: String) -> Result<(), AppError>;
}

#[async_trait::async_trait]
pub trait PushPort: Send + Sync {
    /// The server's VAPID public key (an uncompressed P-256 point), for
    /// `pushManager.subscribe`.
    fn public_key(&self) -> Vec<u8>;
    /// Signed-in users: this browser wants alerts pushed.
    async fn subscribe(&self, actor: &Actor, keys: PushKeys) -> Result<(), AppError>;
    /// Signed-in users: stop pushing to this browser.
    async fn unsubscribe(&self, actor: &Actor, endpoint: String) -> Result<(), AppError>;
}

#[async_trait::async_trait]
pub trait ShiftPort: Send + Sync {
    /// Everyone: shifts and events starting in `[from, to)`, in one grid or all,
    /// with the caller's own sign-up.
    async fn list(
        &self,
        actor: &Actor,
        from: i64,
        to: i64,
        grid: Option<GridId>,
    ) -> Result<Vec<Shift>, AppError>;
    /// Everyone: one shift; its coordinators also get the roster and check-in token.
    async fn detail(&self, actor: &Actor, id: ShiftId) -> Result<ShiftDetail, AppError>;
    /// Coordinators (street), directors (their community), admins.
    async fn create(&self, actor: &Actor, input: ShiftInput) -> Result<Vec<ShiftId>, AppError>;
    /// The same people: call one occurrence off (the others in its series stay; its
    /// date becomes an exception to the series' rule).
    async fn cancel(&self, actor: &Actor, id: ShiftId) -> Result<(), AppError>;
    /// The same people: give the series of `id` a new rule (a one-off becomes a
    /// series); future occurrences are added, deleted, called off or restored to fit.
    async fn edit_series(
        &self,
        actor: &Actor,
        id: ShiftId,
        rule: Recurrence,
    ) -> Result<SeriesChange, AppError>;
    /// Signed in: a seat, or the waitlist.
    async fn sign_up(&self, actor: &Actor, id: ShiftId) -> Result<SignupOutcome, AppError>;
    /// Signed in: give up a seat (before the cut-off) or a waitlist place.
    async fn leave(&self, actor: &Actor, id: ShiftId) -> Result<(), AppError>;
    /// Signed in, seated, with the shift's check-in token, inside the window.
    async fn check_in(&self, actor: &Actor, id: ShiftId, token: String) -> Result<i64, AppError>;
    /// The same, after checking in: answers the minutes credited.
    async fn check_out(&self, actor: &Actor, id: ShiftId, token: String) -> Result<u32, AppError>;
    /// Coordinators: check a seated volunteer in (`out` false) or out (`out` true) by hand.
    async fn mark(
        &self,
        actor: &Actor,
        id: ShiftId,
        signup: i64,
        out: bool,
    ) -> Result<(), AppError>;
    /// Signed in: my upcoming and current shifts.
    async fn mine(&self, actor: &Actor) -> Result<Vec<Shift>, AppError>;
    /// Signed in: my hours by month, newest first.
    async fn hours(&self, actor: &Actor) -> Result<Vec<MonthHours>, AppError>;
    /// Coordinators, directors, admins: active teams in their grids.
    async fn teams(&self, actor: &Actor) -> Result<TeamsInScope, AppError>;
    /// The same people: shifts starting in `[from, to)` in their grids (one grid or
    /// all) with their rosters, for the CSV and XLSX export. The read is audited.
    async fn roster_export(
        &self,
        actor: &Actor,
        from: i64,
        to: i64,
        grid: Option<GridId>,
    ) -> Result<Vec<(Shift, Vec<RosterLine>)>, AppError>;
    /// Coordinators, directors, admins: a new team in one of their grids.
    async fn create_team(
        &self,
        actor: &Actor,
        grid: GridId,
        name: String,
    ) -> Result<TeamId, AppError>;
    /// The same people: a team's members (phones masked), leader first.
    async fn team_members(&self, actor: &Actor, team: TeamId) -> Result<Vec<TeamMember>, AppError>;
    /// The same people: rename, (de)activate, add, remove, choose the leader.
    async fn change_team(
        &self,
        actor: &Actor,
        team: TeamId,
        change: TeamChange,
    ) -> Result<(), AppError>;
    /// Signed in: my private calendar link's token (made on first ask; `renew`
    /// replaces it, so an old link stops working).
    async fn calendar_token(&self, actor: &Actor, renew: bool) -> Result<String, AppError>;
    /// Anyone holding a calendar token: its owner's name and shifts (from 30 days
    /// back), or `None` for an unknown token.
    async fn calendar_feed(&self, token: &str) -> Result<Option<(String, Vec<Shift>)>, AppError>;
}

#[async_trait::async_trait]
pub trait CouncilPort: Send + Sync {
    /// Everyone: the next meeting's date, concerns open or on the agenda, and those
    /// decided in the last 90 days. Raisers' names are masked except to the council.
    async fn board(&self, actor: &Actor) -> Result<CouncilBoard, AppError>;
    /// Signed in: raise a concern in a grid.
    async fn raise(&self, actor: &Actor, c: ConcernInput) -> Result<ConcernId, AppError>;
    /// Signed in: support a concern not yet decided (or take the support back);
    /// answers the new count.
    async fn support(&self, actor: &Actor, id: ConcernId, on: bool) -> Result<u32, AppError>;
    /// Coordinators, directors, admins: put it on the next Wednesday's agenda; the
    /// raiser is told. Answers the meeting's date.
    async fn schedule(&self, actor: &Actor, id: ConcernId) -> Result<String, AppError>;
    /// The same people: record the outcome of a concern on the agenda, maybe open a
    /// ticket for it; the raiser is told. Answers the ticket, if one was opened.
    async fn decide(
        &self,
        actor: &Actor,
        id: ConcernId,
        d: Decision,
    ) -> Result<Option<TicketId>, AppError>;
}

#[async_trait::async_trait]
pub trait AssessmentPort: Send + Sync {
    /// Grid workers: their own month (`2026-12`; empty: this month), live.
    async fn mine(&self, actor: &Actor, month: String) -> Result<WorkerMonth, AppError>;
    /// Directors (their community) and admins (every community): each community's
    /// month, its workers and the appeals waiting.
    async fn staff(&self, actor: &Actor, month: String) -> Result<Vec<CommunityMonth>, AppError>;
    /// Directors and admins: a bonus or deduction with evidence, while the month is open.
    async fn give(&self, actor: &Actor, g: ManualPoints) -> Result<(), AppError>;
    /// Directors (their community; `community` ignored) and admins (the one named):
    /// publish a month that is over for 公示.
    async fn publish(
        &self,
        actor: &Actor,
        month: String,
        community: i64,
    ) -> Result<MonthStatus, AppError>;
    /// Directors (their community) and admins (`community`, 0: the street): each
    /// worker's year month by month, its mean and grade, for the pay coefficient. An
    /// audited read.
    async fn year(
        &self,
        actor: &Actor,
        year: i32,
        community: i64,
    ) -> Result<Vec<YearLine>, AppError>;
    /// Directors and admins: the rules in force this month, the draft, the history.
    async fn rules(&self, actor: &Actor) -> Result<RulesPage, AppError>;
    /// Admins: save the draft (checked: bases add up to 100, numbers in range).
    async fn save_rules(&self, actor: &Actor, rules: RuleSet) -> Result<(), AppError>;
    /// Admins: last month as scored now and as the draft would score it.
    async fn preview_rules(&self, actor: &Actor) -> Result<Vec<PreviewLine>, AppError>;
    /// Admins: the draft is in force from next month; answers that month.
    async fn adopt_rules(&self, actor: &Actor) -> Result<String, AppError>;
    /// Admins: turn rankings on or off (off by default); answers the new state.
    async fn set_rankings(&self, actor: &Actor, on: bool) -> Result<bool, AppError>;
    /// Grid workers: appeal an entry of their own published month.
    async fn appeal(&self, actor: &Actor, entry: i64, reason: String) -> Result<(), AppError>;
    /// Directors and admins: decide an appeal (`upheld` adds a correction).
    async fn decide(
        &self,
        actor: &Actor,
        appeal: i64,
        decision: String,
        reason: String,
    ) -> Result<(), AppError>;
    /// Admins: score the month now (the background run does it every ten minutes);
    /// how many new ledger entries it wrote.
    async fn run(&self, actor: &Actor, month: String) -> Result<u64, AppError>;
}

#[async_trait::async_trait]
pub trait StudyPort: Send + Sync {
    /// Signed in: my points today against each cap, month and total, streak, ranks,
    /// the newest ledger entries, questions left for today's quiz.
    async fn home(&self, actor: &Actor) -> Result<StudyHome, AppError>;
    /// Signed in: today's sign-in; answers the points (409 when already signed in).
    async fn sign_in(&self, actor: &Actor) -> Result<u32, AppError>;
    /// Signed in: a daily quiz drawn at random from questions not had today, or
    /// (`review`) a practice round from my 错题本 (no points).
    async fn start_quiz(&self, actor: &Actor, review: bool) -> Result<Quiz, AppError>;
    /// Signed in: my 错题本 with the answers and explanations.
    async fn wrong_answers(&self, actor: &Actor) -> Result<Vec<WrongAnswer>, AppError>;
    /// Signed in: the answers to my quiz, checked here; points under the day's cap.
    async fn submit_quiz(
        &self,
        actor: &Actor,
        attempt: i64,
        answers: Vec<(i64, String)>,
    ) -> Result<QuizResult, AppError>;
    /// Signed in: the street's rankings, this month and in all.
    async fn rankings(&self, actor: &Actor) -> Result<Rankings, AppError>;
    /// Signed in: the points rules.
    async fn rules(&self, actor: &Actor) -> Result<Vec<PointsRule>, AppError>;
    /// Admins: change one rule.
    async fn save_rule(&self, actor: &Actor, rule: PointsRule) -> Result<(), AppError>;
    /// Admins: the question bank.
    async fn questions(&self, actor: &Actor) -> Result<Vec<BankQuestion>, AppError>;
    /// Admins: write one question (new when `id` is none); answers its id.
    async fn save_question(
        &self,
        actor: &Actor,
        q: crate::domain::study::QuestionInput,
    ) -> Result<i64, AppError>;
    /// Admins: take a question out of (or back into) the quizzes.
    async fn set_question_active(&self, actor: &Actor, id: i64, on: bool) -> Result<(), AppError>;
    /// Admins: a CSV or XLSX question bank; every row or none (same stem: updated).
    async fn import_questions(
        &self,
        actor: &Actor,
        bytes: Vec<u8>,
    ) -> Result<crate::domain::resident::ImportOutcome, AppError>;
}

#[async_trait::async_trait]
pub trait LessonPort: Send + Sync {
    /// Signed in: every course with my progress (admins also see lessons taken out).
    async fn courses(&self, actor: &Actor) -> Result<Vec<Course>, AppError>;
    /// Signed in: one lesson, its Markdown made safe HTML, and where I stopped;
    /// opening it is recorded.
    async fn lesson(&self, actor: &Actor, id: i64) -> Result<Lesson, AppError>;
    /// Signed in: where I am in a lesson (thousandths; `at_end` when the end showed).
    async fn progress(
        &self,
        actor: &Actor,
        id: i64,
        position: u32,
        at_end: bool,
    ) -> Result<ProgressOutcome, AppError>;
    /// Signed in: a lesson read to the end is learnt; pays the reading points once.
    async fn complete(&self, actor: &Actor, id: i64) -> Result<ProgressOutcome, AppError>;
    /// Admins: write a course; answers its id.
    async fn save_course(&self, actor: &Actor, c: CourseInput) -> Result<i64, AppError>;
    /// Admins: write a lesson; answers its id.
    async fn save_lesson(&self, actor: &Actor, l: LessonInput) -> Result<i64, AppError>;
    /// Admins: the safe HTML a lesson's Markdown becomes.
    async fn preview(&self, actor: &Actor, body: String) -> Result<String, AppError>;
}

#[async_trait::async_trait]
pub trait PartyPort: Send + Sync {
    /// Admins: the tree, its members, the party members not placed yet.
    async fn tree(&self, actor: &Actor) -> Result<OrgTree, AppError>;
    /// Admins: write an organisation at its level (no cycles); answers its id.
    async fn save_org(&self, actor: &Actor, o: OrgInput) -> Result<i64, AppError>;
    /// Admins: a party member into a branch or group (moved from any other).
    async fn set_member(
        &self,
        actor: &Actor,
        user: i64,
        org: i64,
        central: bool,
    ) -> Result<(), AppError>;
    /// Admins: a member out of the tree.
    async fn remove_member(&self, actor: &Actor, user: i64) -> Result<(), AppError>;
    /// Signed in: branches by points per member, this month and in all.
    async fn branch_rankings(&self, actor: &Actor) -> Result<BranchRankings, AppError>;
    /// Signed in: meetings I am on the list of (admins: all), attendance rates.
    async fn meetings(&self, actor: &Actor) -> Result<MeetingsPage, AppError>;
    /// Signed in: a meeting I am on the list of (admins: any, with token and list).
    async fn meeting(&self, actor: &Actor, id: i64) -> Result<MeetingDetail, AppError>;
    /// Admins: call a meeting; everyone under the organisation is listed and told.
    async fn call_meeting(&self, actor: &Actor, m: MeetingInput) -> Result<i64, AppError>;
    /// Admins: record the minutes.
    async fn save_minutes(&self, actor: &Actor, id: i64, minutes: String) -> Result<(), AppError>;
    /// On the list: check in with the QR code's token while check-in is open.
    async fn check_in(&self, actor: &Actor, id: i64, token: String) -> Result<u32, AppError>;
}

#[async_trait::async_trait]
pub trait QuizPort: Send + Sync {
    /// Signed in: this week's round and the special quizzes open now (or taken lately),
    /// with my takes.
    async fn rounds(&self, actor: &Actor) -> Result<crate::domain::quiz::Rounds, AppError>;
    /// Signed in: start (or resume) my take of a round; `None`: this week's.
    async fn start(
        &self,
        actor: &Actor,
        round: Option<i64>,
    ) -> Result<crate::domain::quiz::Take, AppError>;
    /// Signed in: hand in my take's answers, once; checked here only.
    async fn submit(
        &self,
        actor: &Actor,
        take: i64,
        answers: Vec<(i64, String)>,
    ) -> Result<QuizResult, AppError>;
    /// Admins: set a special quiz; answers its id.
    async fn create(
        &self,
        actor: &Actor,
        r: crate::domain::quiz::RoundInput,
    ) -> Result<i64, AppError>;
}

#[async_trait::async_trait]
pub trait FeedbackPort: Send + Sync {
    /// Signed in: a complaint or suggestion to the street; answers its id.
    async fn send(&self, actor: &Actor, f: NewFeedback) -> Result<i64, AppError>;
    /// One's own messages; admins: everyone's, unanswered first.
    async fn list(&self, actor: &Actor) -> Result<Vec<FeedbackView>, AppError>;
    /// Admins: answer a message once; its sender is told.
    async fn answer(&self, actor: &Actor, id: i64, text: String) -> Result<(), AppError>;
}

#[async_trait::async_trait]
pub trait WorklogPort: Send + Sync {
    /// Grid workers: log a visit or call in one of their grids; answers its id (a
    /// retried send with the same key answers the first one's).
    async fn log(&self, actor: &Actor, e: NewLogEntry) -> Result<i64, AppError>;
    /// Entries in the viewer's scope, newest first; a resident's history is an
    /// audited read.
    async fn list(&self, actor: &Actor, scope: LogScope) -> Result<Vec<LogEntry>, AppError>;
    /// Directors and admins: comment on an entry in their community (点评).
    async fn comment(&self, actor: &Actor, entry: i64, body: String) -> Result<(), AppError>;
    /// Care objects due (a worker: hers; a director: her community's; admins: all),
    /// most overdue first, and coverage per grid for supervisors.
    async fn care(&self, actor: &Actor) -> Result<CareBoard, AppError>;
    /// Anyone signed in: a volunteer's care visits assigned to her and her own entries;
    /// `None` for anyone else (a volunteer with none assigned, or not a volunteer).
    async fn volunteer_visits(
        &self,
        actor: &Actor,
    ) -> Result<Option<(CareBoard, Vec<LogEntry>)>, AppError>;
    /// Admins: which resident tags are cared for, each with its default cycle.
    async fn save_care_tags(&self, actor: &Actor, tags: CareTags) -> Result<(), AppError>;
    /// Directors and admins: a care object's cycle, visitor and needs.
    async fn plan(&self, actor: &Actor, p: PlanInput) -> Result<(), AppError>;
}

#[async_trait::async_trait]
pub trait DutyPort: Send + Sync {
    /// Staff: a scope's month (0: one's own), the shift now, swaps, log and handover.
    async fn board(&self, actor: &Actor, scope: i64, month: String) -> Result<DutyBoard, AppError>;
    /// Directors (their community) and admins: plan a month; answers the shifts planned.
    async fn plan(&self, actor: &Actor, plan: MonthPlan) -> Result<usize, AppError>;
    /// Someone on a shift asks to hand it to another; answers the request's id.
    async fn ask_swap(
        &self,
        actor: &Actor,
        shift: i64,
        with: i64,
        reason: String,
    ) -> Result<i64, AppError>;
    /// The other person or a planner says yes or no.
    async fn answer_swap(
        &self,
        actor: &Actor,
        id: i64,
        accept: bool,
    ) -> Result<SwapStatus, AppError>;
    /// The people on duty and the scope's planners: write the duty log.
    async fn log(&self, actor: &Actor, e: DutyLogInput) -> Result<i64, AppError>;
    /// The people on duty and the scope's planners: close an entry.
    async fn close_log(&self, actor: &Actor, id: i64) -> Result<(), AppError>;
    /// Someone on the shift now on duty acknowledges its handover.
    async fn ack_handover(&self, actor: &Actor, shift: i64) -> Result<(), AppError>;
    /// Who is on duty now in the caller's street and community (empty: not staff).
    async fn now(&self, actor: &Actor) -> Result<Vec<OnDutyNow>, AppError>;
    /// The emergencies ringing the caller now (empty for anyone not rung).
    async fn ringing(&self, actor: &Actor) -> Result<Vec<Ringing>, AppError>;
    /// Someone rung acknowledges an emergency.
    async fn ack_emergency(&self, actor: &Actor, id: i64) -> Result<(), AppError>;
    /// Someone rung, or the staff of the ticket's grid: on site (with where, if known).
    async fn on_site(&self, actor: &Actor, id: i64, at: Option<(f64, f64)>)
    -> Result<(), AppError>;
}

#[async_trait::async_trait]
pub trait SitePort: Send + Sync {
    /// Staff: the sites of their community (admins: all), overdue ones per grid.
    async fn board(&self, actor: &Actor) -> Result<SiteBoard, AppError>;
    /// Staff of its community: a site with its checklist, open hazards and inspections
    /// (its contact's number in full; the read is audited).
    async fn detail(&self, actor: &Actor, id: i64) -> Result<SiteDetail, AppError>;
    /// Staff: register or edit a site in their community; answers its id.
    async fn save(&self, actor: &Actor, site: SiteInput) -> Result<i64, AppError>;
    /// Admins: add or edit a site type; answers its id.
    async fn save_type(&self, actor: &Actor, t: SiteTypeInput) -> Result<i64, AppError>;
    /// Staff of its community: an inspection, its photos in the order its answers
    /// announce them. Failed items open tickets, passed items close theirs.
    async fn inspect(
        &self,
        actor: &Actor,
        site: i64,
        input: InspectionInput,
        photos: Vec<Vec<u8>>,
    ) -> Result<InspectionDone, AppError>;
}

#[async_trait::async_trait]
pub trait CameraPort: Send + Sync {
    /// Staff: the cameras of their community (admins: all) and whether video can play.
    async fn board(&self, actor: &Actor) -> Result<CameraBoard, AppError>;
    /// Directors (their community) and admins: register or edit a camera.
    async fn save(&self, actor: &Actor, c: CameraInput) -> Result<i64, AppError>;
    /// Staff of its community: where to watch it now, for a ticket or a note (logged).
    async fn play(
        &self,
        actor: &Actor,
        id: i64,
        ticket: Option<i64>,
        note: String,
    ) -> Result<PlayAddress, AppError>;
}

#[async_trait::async_trait]
pub trait CommandPort: Send + Sync {
    /// Staff: the command screen's snapshot of the street (`scope` 0, admins) or a
    /// community (admins any; others their own whatever they ask).
    async fn snapshot(&self, actor: &Actor, scope: i64) -> Result<CommandSnapshot, AppError>;
}

#[async_trait::async_trait]
pub trait ReminderPort: Send + Sync {
    /// Signed-in users: their reminders of the last 30 days, newest first (those
    /// they chose to have in the app); reading them marks them read.
    async fn inbox(&self, actor: &Actor) -> Result<Vec<InboxReminder>, AppError>;
    /// Anyone: how many are unread (0 signed out).
    async fn unread(&self, actor: &Actor) -> Result<u32, AppError>;
    /// Signed-in users: their channels and quiet hours (the defaults until saved).
    async fn prefs(&self, actor: &Actor) -> Result<PrefsView, AppError>;
    /// Signed-in users: saves them; reminders not yet sent move with the quiet hours.
    async fn save_prefs(&self, actor: &Actor, prefs: Prefs) -> Result<(), AppError>;
}

#[async_trait::async_trait]
pub trait SmsPort: Send + Sync {
    /// Admins: the SMS settings in force, without the secret.
    async fn settings(&self, actor: &Actor) -> Result<SmsSettingsView, AppError>;
    /// Admins: saves them (they win over the environment's) and switches the channel
    /// to them at once.
    async fn save(&self, actor: &Actor, s: SmsSettings) -> Result<SmsSettingsView, AppError>;
    /// Admins: one test message to `phone` now, with the settings in force (audited).
    async fn test(&self, actor: &Actor, phone: &str) -> Result<SmsTestOutcome, AppError>;
}

#[derive(Clone)]
pub struct Ports {
    pub auth: Arc<dyn AuthPort>,
    pub grid: Arc<dyn GridPort>,
    pub ticket: Arc<dyn TicketPort>,
    pub resident: Arc<dyn ResidentPort>,
    pub alert: Arc<dyn AlertPort>,
    pub notice: Arc<dyn NoticePort>,
    pub missing: Arc<dyn MissingPort>,
    pub push: Arc<dyn PushPort>,
    pub shift: Arc<dyn ShiftPort>,
    pub council: Arc<dyn CouncilPort>,
    pub study: Arc<dyn StudyPort>,
    pub lesson: Arc<dyn LessonPort>,
    pub party: Arc<dyn PartyPort>,
    pub quiz: Arc<dyn QuizPort>,
    pub assessment: Arc<dyn AssessmentPort>,
    pub worklog: Arc<dyn WorklogPort>,
    pub feedback: Arc<dyn FeedbackPort>,
    pub duty: Arc<dyn DutyPort>,
    pub site: Arc<dyn SitePort>,
    pub camera: Arc<dyn CameraPort>,
    pub command: Arc<dyn CommandPort>,
    pub reminder: Arc<dyn ReminderPort>,
    pub sms: Arc<dyn SmsPort>,
}
