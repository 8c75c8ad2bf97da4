//! Courses and lessons: reading, progress, the reading points, admins' editor.
use crate::domain::AppError;
use crate::domain::lesson::{Course, CourseInput, Lesson, LessonInput, ProgressOutcome};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::api::ctx::{actor, ports, respond};

/// Signed in: the courses with my progress.
#[server(endpoint = "study/courses")]
pub async fn list_courses() -> Result<Vec<Course>, AppError> {
    let actor = actor().await?;
    respond(ports()?.lesson.courses(&actor).await)
}

/// Signed in: one lesson to read (opening it is recorded).
#[server(endpoint = "study/lesson")]
pub async fn open_lesson(id: i64) -> Result<Lesson, AppError> {
    let actor = actor().await?;
    respond(ports()?.lesson.lesson(&actor, id).await)
}

/// Signed in: where I am in a lesson (thousandths of the text).
#[server(endpoint = "study/lesson/progress")]
pub async fn lesson_progress(
    id: i64,
    position: u32,
    at_end: bool,
) -> Result<ProgressOutcome, AppError> {
    let actor = actor().await?;
    respond(ports()?.lesson.progress(&actor, id, position, at_end).await)
}

/// Signed in: I have learnt a lesson read to the end.
#[server(endpoint = "study/lesson/complete")]
pub async fn complete_lesson(id: i64) -> Result<ProgressOutcome, AppError> {
    let actor = actor().await?;
    respond(ports()?.lesson.complete(&actor, id).await)
}

/// Admins: write a course.
#[server(endpoint = "study/course/save", input = Json)]
pub async fn save_course(course: CourseInput) -> Result<i64, AppError> {
    let actor = actor().await?;
    respond(ports()?.lesson.save_course(&actor, course).await)
}

/// Admins: write a lesson.
#[server(endpoint = "study/lesson/save", input = Json)]
pub async fn save_lesson(lesson: LessonInput) -> Result<i64, AppError> {
    let actor = actor().await?;
    respond(ports()?.lesson.save_lesson(&actor, lesson).await)
}

/// Admins: how a lesson's Markdown will look.
#[server(endpoint = "study/lesson/preview", input = Json)]
pub async fn preview_lesson(body: String) -> Result<String, AppError> {
    let actor = actor().await?;
    respond(ports()?.lesson.preview(&actor, body).await)
}
