//! Party study: points, the daily sign-in, the daily quiz, rankings, points rules.
use crate::domain::AppError;
use crate::domain::study::{
    BankQuestion, PointsRule, QuestionInput, Quiz, QuizResult, Rankings, StudyHome, WrongAnswer,
};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::api::ctx::{actor, ports, respond};

/// Signed in: my study page.
#[server(endpoint = "study/home")]
pub async fn fetch_study_home() -> Result<StudyHome, AppError> {
    let actor = actor().await?;
    respond(ports()?.study.home(&actor).await)
}

/// Signed in: today's sign-in; answers the points.
#[server(endpoint = "study/signin")]
pub async fn study_sign_in() -> Result<u32, AppError> {
    let actor = actor().await?;
    respond(ports()?.study.sign_in(&actor).await)
}

/// Signed in: draw today's next daily quiz, or (`review`) a round from my 错题本.
#[server(endpoint = "study/quiz/start")]
pub async fn start_quiz(review: bool) -> Result<Quiz, AppError> {
    let actor = actor().await?;
    respond(ports()?.study.start_quiz(&actor, review).await)
}

/// Signed in: my 错题本.
#[server(endpoint = "study/wrong")]
pub async fn wrong_book() -> Result<Vec<WrongAnswer>, AppError> {
    let actor = actor().await?;
    respond(ports()?.study.wrong_answers(&actor).await)
}

/// Signed in: my answers, `(question, answer)`; checked on the server.
#[server(endpoint = "study/quiz/submit", input = Json)]
pub async fn submit_quiz(
    attempt: i64,
    answers: Vec<(i64, String)>,
) -> Result<QuizResult, AppError> {
    let actor = actor().await?;
    respond(ports()?.study.submit_quiz(&actor, attempt, answers).await)
}

/// Signed in: the street's rankings.
#[server(endpoint = "study/rankings")]
pub async fn study_rankings() -> Result<Rankings, AppError> {
    let actor = actor().await?;
    respond(ports()?.study.rankings(&actor).await)
}

/// Signed in: the points rules.
#[server(endpoint = "study/rules")]
pub async fn points_rules() -> Result<Vec<PointsRule>, AppError> {
    let actor = actor().await?;
    respond(ports()?.study.rules(&actor).await)
}

/// Admins: change one points rule.
#[server(endpoint = "study/rules/save", input = Json)]
pub async fn save_points_rule(rule: PointsRule) -> Result<(), AppError> {
    let actor = actor().await?;
    respond(ports()?.study.save_rule(&actor, rule).await)
}

/// Admins: the question bank.
#[server(endpoint = "study/questions")]
pub async fn question_bank() -> Result<Vec<BankQuestion>, AppError> {
    let actor = actor().await?;
    respond(ports()?.study.questions(&actor).await)
}

/// Admins: write a question in the browser (new when `id` is none); answers its id.
#[server(endpoint = "study/questions/save", input = Json)]
pub async fn save_question(question: QuestionInput) -> Result<i64, AppError> {
    let actor = actor().await?;
    respond(ports()?.study.save_question(&actor, question).await)
}

/// Admins: take a question out of the quizzes (or back in).
#[server(endpoint = "study/questions/active")]
pub async fn set_question_active(id: i64, on: bool) -> Result<(), AppError> {
    let actor = actor().await?;
    respond(ports()?.study.set_question_active(&actor, id, on).await)
}

/// Signed in: this week's quiz round and the special quizzes, with my takes.
#[server(endpoint = "study/rounds")]
pub async fn quiz_rounds() -> Result<crate::domain::quiz::Rounds, AppError> {
    let actor = actor().await?;
    respond(ports()?.quiz.rounds(&actor).await)
}

/// Signed in: start (or resume) my take of a round; `round` 0: this week's quiz.
#[server(endpoint = "study/round/start")]
pub async fn start_round(round: i64) -> Result<crate::domain::quiz::Take, AppError> {
    let actor = actor().await?;
    respond(
        ports()?
            .quiz
            .start(&actor, (round > 0).then_some(round))
            .await,
    )
}

/// Signed in: hand in a take's answers `(question, answer)`; checked on the server.
#[server(endpoint = "study/round/submit", input = Json)]
pub async fn submit_round(take: i64, answers: Vec<(i64, String)>) -> Result<QuizResult, AppError> {
    let actor = actor().await?;
    respond(ports()?.quiz.submit(&actor, take, answers).await)
}

/// Admins: set a special quiz with a window and a time limit.
#[server(endpoint = "study/round/create", input = Json)]
pub async fn create_round(round: crate::domain::quiz::RoundInput) -> Result<i64, AppError> {
    let actor = actor().await?;
    respond(ports()?.quiz.create(&actor, round).await)
}
