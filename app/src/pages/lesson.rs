//! Courses and lessons: `/study/lessons` (courses with my progress and where to go on),
//! `/study/lessons/:id` (read a lesson: it resumes where I stopped, the end of the text
//! marks it read, then "学完了" pays the reading points), and admins' editor
//! (`/study/new-lesson?course=…`, `/study/lessons/:id/edit`) with a preview.
use super::{Guarded, id_param, loading, may};
use crate::api::lesson::{
    complete_lesson, list_courses, open_lesson, preview_lesson, save_course, save_lesson,
};
use crate::components::elder::ReadAloud;
use crate::components::error::{ErrorNote, error_view};
use crate::components::form::{Submit, SubmitButton, listed};
use crate::domain::AppError;
use crate::domain::authz::Action;
use crate::domain::lesson::{
    Course, CourseInput, Lesson, LessonInput, Media, Progress, ProgressOutcome, plain_text,
};
use crate::i18n::Msg;
use crate::providers::tr;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

fn minutes_text(minutes: u32, micro: bool) -> String {
    let m = tr(Msg::LessonMinutes).replace("{n}", &minutes.to_string());
    if micro {
        format!("{} · {m}", tr(Msg::LessonMicro))
    } else {
        m
    }
}

#[component]
pub fn LessonsPage() -> impl IntoView {
    view! {
        <Guarded action=Action::Study title=Msg::LessonsTitle>
            <LessonsBody />
        </Guarded>
    }
}

#[component]
fn LessonsBody() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let courses = Resource::new(move || version.get(), |_| list_courses());
    view! {
        <p class="actions"><A href="/study" attr:class="button">{move || tr(Msg::StudyTitle)}</A></p>
        {listed(courses, Msg::LessonsEmpty, |list| {
            list.into_iter().map(|c| view! { <CourseCard c=c /> }).collect_view()
        })}
        <Show when=may(Action::ManageStudy)>
            <CourseForm on_saved=Callback::new(move |()| version.update(|v| *v += 1)) />
        </Show>
    }
}

#[component]
fn CourseCard(c: Course) -> impl IntoView {
    let (done, total) = (c.completed(), c.lessons.len());
    let resume = c.resume();
    let course = c.id;
    view! {
        <section class="card" data-test="course">
            <h2>{c.title.clone()}</h2>
            {(!c.summary.is_empty()).then(|| view! { <p class="muted">{c.summary.clone()}</p> })}
            <p data-test="course-done">
                {move || tr(Msg::LessonsDone).replace("{d}", &done.to_string()).replace("{n}", &total.to_string())}
            </p>
            <progress max=total.to_string() value=done.to_string() aria-label=move || tr(Msg::LessonsDoneLabel)></progress>
            {resume.map(|id| view! {
                <p><A href=format!("/study/lessons/{id}") attr:class="button primary big" attr:data-test="lesson-resume">
                    {move || if done == 0 { tr(Msg::LessonsStart) } else { tr(Msg::LessonsResume) }}
                </A></p>
            })}
            <ol class="plain lessons">
                {c.lessons.into_iter().map(|l| {
                    let progress = l.progress;
                    let media = l.media;
                    view! {
                        <li data-test="lesson-line" data-progress=progress.as_i64().to_string()>
                            <A href=format!("/study/lessons/{}", l.id)>{l.title}</A>
                            <span class="small muted">" " {minutes_text(l.minutes, l.micro)}
                                {move || match media {
                                    Media::Audio => format!(" · {}", tr(Msg::LessonAudio)),
                                    Media::Video => format!(" · {}", tr(Msg::LessonVideo)),
                                    Media::None => String::new(),
                                }}
                                {(!l.active).then(|| view! { " · " {move || tr(Msg::LessonOff)} })}
                            </span>
                            " " <span class="step" class:done=progress == Progress::Completed>{move || tr(progress.label())}</span>
                        </li>
                    }
                }).collect_view()}
            </ol>
            <Show when=may(Action::ManageStudy)>
                <p><A href=format!("/study/new-lesson?course={course}") attr:class="button" attr:data-test="lesson-add">{move || tr(Msg::LessonAdd)}</A></p>
            </Show>
        </section>
    }
}

#[component]
fn CourseForm(on_saved: Callback<()>) -> impl IntoView {
    let title = RwSignal::new(String::new());
    let summary = RwSignal::new(String::new());
    let save = Submit::new(save_course, move |_: i64| {
        title.set(String::new());
        summary.set(String::new());
        on_saved.run(());
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.submit(Ok(CourseInput {
            id: None,
            title: title.get_untracked(),
            summary: summary.get_untracked(),
        }));
    };
    view! {
        <form class="card" on:submit=submit data-test="course-form">
            <h2>{move || tr(Msg::CourseNew)}</h2>
            <label>{move || tr(Msg::LessonTitleLabel)}
                <input type="text" maxlength="80" required prop:value=title on:input=move |ev| title.set(event_target_value(&ev)) data-test="course-title" />
            </label>
            <label>{move || tr(Msg::CourseSummary)}
                <textarea rows="2" maxlength="300" prop:value=summary on:input=move |ev| summary.set(event_target_value(&ev))></textarea>
            </label>
            <ErrorNote error=save.error() />
            <SubmitButton busy=save.busy_signal() label=Msg::StudyRuleSave class="primary big" />
        </form>
    }
}

#[component]
pub fn LessonPage() -> impl IntoView {
    view! {
        <Guarded action=Action::Study title=Msg::LessonsTitle>
            <LessonBody />
        </Guarded>
    }
}

#[component]
fn LessonBody() -> impl IntoView {
    let id = id_param();
    let lesson = Resource::new(id, open_lesson);
    view! {
        <Transition fallback=loading>
            {move || lesson.get().map(|r| match r {
                Ok(l) => view! { <Reader l=l /> }.into_any(),
                Err(e) => error_view(e),
            })}
        </Transition>
    }
}

#[component]
fn Reader(l: Lesson) -> impl IntoView {
    let id = l.id;
    let progress = RwSignal::new(l.progress);
    let notice = RwSignal::new(None::<String>);
    let article = NodeRef::<leptos::html::Article>::new();
    #[cfg(feature = "hydrate")]
    track_reading(id, l.position, article, progress);
    let complete = Submit::new(
        move |()| complete_lesson(id),
        move |o: ProgressOutcome| {
            progress.set(o.progress);
            notice.set(Some(if o.points > 0 {
                tr(Msg::LessonPoints).replace("{n}", &o.points.to_string())
            } else {
                tr(Msg::LessonLearnt).to_owned()
            }));
        },
    );
    let url = l.media_url.clone();
    let media = match l.media {
        Media::Audio => view! {
            <audio controls preload="none" src=url.clone() data-test="lesson-audio"></audio>
        }
        .into_any(),
        Media::Video => view! {
            <video controls preload="none" playsinline src=url.clone() class="media" data-test="lesson-video"></video>
        }
        .into_any(),
        Media::None => ().into_any(),
    };
    let (prev, next) = (l.prev, l.next);
    view! {
        <p class="small"><A href="/study/lessons">{l.course_title.clone()}</A></p>
        <h2 data-test="lesson-title">{l.title.clone()}</h2>
        <p class="small muted">{minutes_text(l.minutes, l.micro)} " · "
            <span data-test="lesson-progress">{move || tr(progress.get().label())}</span>
        </p>
        {media}
        {(l.media != Media::None).then(|| view! {
            <p class="small"><a href=url rel="noopener noreferrer" target="_blank">{move || tr(Msg::LessonMediaLink)}</a></p>
        })}
        <ReadAloud text=format!("{}。{}", l.title, plain_text(&l.html)) />
        <article class="lesson" node_ref=article inner_html=l.html data-test="lesson-body"></article>
        <Show when=move || notice.get().is_some()>
            <p class="ok" role="status" data-test="lesson-notice">{move || notice.get()}</p>
        </Show>
        <ErrorNote error=complete.error() />
        {move || if progress.get() == Progress::Completed {
            view! { <p class="ok" data-test="lesson-done">{move || tr(Msg::LessonCompleted)}</p> }.into_any()
        } else {
            view! {
                <button type="button" class="primary big" data-test="lesson-complete"
                    disabled=move || complete.busy() || progress.get() < Progress::Read
                    on:click=move |_| complete.submit(Ok(()))>
                    {move || tr(Msg::LessonComplete)}
                </button>
                <p class="small muted">{move || tr(Msg::LessonCompleteHint)}</p>
            }.into_any()
        }}
        <p class="actions">
            {prev.map(|p| view! { <A href=format!("/study/lessons/{p}") attr:class="button">{move || tr(Msg::LessonPrev)}</A> })}
            {next.map(|n| view! { <A href=format!("/study/lessons/{n}") attr:class="button" attr:data-test="lesson-next">{move || tr(Msg::LessonNext)}</A> })}
        </p>
        <Show when=may(Action::ManageStudy)>
            <p><A href=format!("/study/lessons/{id}/edit") attr:class="button" attr:data-test="lesson-edit">{move || tr(Msg::LessonEdit)}</A></p>
        </Show>
    }
}

/// Scrolls back to where I stopped, then reports my place as I read (every tenth of
/// the text, and once when the end of the text shows).
#[cfg(feature = "hydrate")]
fn track_reading(
    id: i64,
    start: u32,
    article: NodeRef<leptos::html::Article>,
    progress: RwSignal<Progress>,
) {
    use crate::api::lesson::lesson_progress;
    use crate::domain::lesson::POSITION_END;
    // (thousandths seen, whether the end shows), from the text's place in the window.
    let measure = move || -> Option<(u32, bool)> {
        let el = article.get_untracked()?;
        let rect = el.get_bounding_client_rect();
        let vh = window().inner_height().ok()?.as_f64()?;
        let seen = ((vh - rect.top()) / rect.height().max(1.0)).clamp(0.0, 1.0);
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let pos = (seen * f64::from(POSITION_END)).round() as u32;
        Some((pos, rect.bottom() <= vh + 2.0))
    };
    let last = StoredValue::new(start);
    let ended = StoredValue::new(progress.get_untracked() >= Progress::Read);
    let report = move || {
        let Some((pos, at_end)) = measure() else {
            return;
        };
        let newly_ended = at_end && !ended.get_value();
        // The first report of a new lesson records "opened" at once.
        let first = progress.get_untracked() == Progress::New;
        if !first && !newly_ended && pos.abs_diff(last.get_value()) < POSITION_END / 10 {
            return;
        }
        last.set_value(pos);
        if at_end {
            ended.set_value(true);
        }
        leptos::task::spawn_local(async move {
            if let Ok(o) = lesson_progress(id, pos, at_end).await {
                progress.set(o.progress);
            }
        });
    };
    Effect::new(move |_| {
        let Some(el) = article.get() else {
            return;
        };
        if start > 0 && start < POSITION_END {
            let rect = el.get_bounding_client_rect();
            let w = window();
            let vh = w
                .inner_height()
                .ok()
                .and_then(|v| v.as_f64())
                .unwrap_or(0.0);
            let y = w.scroll_y().unwrap_or(0.0)
                + rect.top()
                + rect.height() * f64::from(start) / f64::from(POSITION_END)
                - vh;
            w.scroll_to_with_x_and_y(0.0, y.max(0.0));
        }
        report();
    });
    let handle = window_event_listener(leptos::ev::scroll, move |_| report());
    on_cleanup(move || handle.remove());
}

#[component]
pub fn LessonNewPage() -> impl IntoView {
    view! {
        <Guarded action=Action::ManageStudy title=Msg::LessonEditTitle>
            <EditorBody />
        </Guarded>
    }
}

#[component]
pub fn LessonEditPage() -> impl IntoView {
    view! {
        <Guarded action=Action::ManageStudy title=Msg::LessonEditTitle>
            <EditorBody />
        </Guarded>
    }
}

/// The editor for `/study/lessons/:id/edit`, or a new lesson (no `:id`).
#[component]
fn EditorBody() -> impl IntoView {
    let id = id_param();
    let data = Resource::new(id, |id| async move {
        let courses = list_courses().await?;
        let lesson = if id > 0 {
            Some(open_lesson(id).await?)
        } else {
            None
        };
        Ok::<_, AppError>((courses, lesson))
    });
    view! {
        <Transition fallback=loading>
            {move || data.get().map(|r| match r {
                Ok((courses, lesson)) => view! { <Editor courses=courses lesson=lesson /> }.into_any(),
                Err(e) => error_view(e),
            })}
        </Transition>
    }
}

/// What the editor sends: the text to preview, or the lesson to save.
#[derive(Clone)]
enum EditorStep {
    Preview(String),
    Save(LessonInput),
}

/// What came back: the preview's HTML, or the saved lesson's id.
enum EditorDone {
    Preview(String),
    Saved(i64),
}

#[component]
fn Editor(courses: Vec<Course>, lesson: Option<Lesson>) -> impl IntoView {
    let query = use_query_map();
    let from_query = query.with_untracked(|q| {
        q.get("course")
            .and_then(|c| c.parse::<i64>().ok())
            .unwrap_or(0)
    });
    let id = lesson.as_ref().map(|l| l.id);
    let course = RwSignal::new(
        lesson
            .as_ref()
            .map_or(from_query, |l| l.course_id)
            .to_string(),
    );
    let title = RwSignal::new(lesson.as_ref().map(|l| l.title.clone()).unwrap_or_default());
    let body = RwSignal::new(lesson.as_ref().map(|l| l.body.clone()).unwrap_or_default());
    let minutes = RwSignal::new(lesson.as_ref().map_or(5, |l| l.minutes).to_string());
    let micro = RwSignal::new(lesson.as_ref().is_some_and(|l| l.micro));
    let active = RwSignal::new(lesson.as_ref().is_none_or(|l| l.active));
    let media = RwSignal::new(
        lesson
            .as_ref()
            .map_or(Media::None, |l| l.media)
            .as_str()
            .to_owned(),
    );
    let media_url = RwSignal::new(
        lesson
            .as_ref()
            .map(|l| l.media_url.clone())
            .unwrap_or_default(),
    );
    let preview = RwSignal::new(None::<String>);
    let navigate = leptos_router::hooks::use_navigate();
    // One submission for both buttons: one "busy", one error (the latest).
    let send = Submit::new(
        |step: EditorStep| async move {
            match step {
                EditorStep::Preview(text) => preview_lesson(text).await.map(EditorDone::Preview),
                EditorStep::Save(lesson) => save_lesson(lesson).await.map(EditorDone::Saved),
            }
        },
        move |done: EditorDone| match done {
            EditorDone::Preview(html) => preview.set(Some(html)),
            EditorDone::Saved(id) => navigate(&format!("/study/lessons/{id}"), Default::default()),
        },
    );
    let input = move || -> Result<LessonInput, AppError> {
        Ok(LessonInput {
            id,
            course_id: course
                .get_untracked()
                .parse()
                .ok()
                .filter(|c| *c > 0)
                .ok_or_else(|| AppError::invalid("course", Msg::ErrLessonCourse))?,
            title: title.get_untracked(),
            body: body.get_untracked(),
            media_url: media_url.get_untracked(),
            media: Media::parse(&media.get_untracked()),
            minutes: minutes
                .get_untracked()
                .trim()
                .parse()
                .map_err(|_| AppError::invalid("minutes", Msg::ErrLessonMinutes))?,
            micro: micro.get_untracked(),
            active: active.get_untracked(),
        })
    };
    let show_preview = move |_| send.submit(Ok(EditorStep::Preview(body.get_untracked())));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        send.submit(input().map(EditorStep::Save));
    };
    view! {
        <form class="card" on:submit=submit data-test="lesson-form">
            <label>{move || tr(Msg::LessonCourse)}
                <select prop:value=course on:change=move |ev| course.set(event_target_value(&ev)) data-test="lesson-course">
                    <option value="0">{move || tr(Msg::LessonChooseCourse)}</option>
                    {courses.into_iter().map(|c| view! { <option value=c.id.to_string()>{c.title}</option> }).collect_view()}
                </select>
            </label>
            <label>{move || tr(Msg::LessonTitleLabel)}
                <input type="text" maxlength="80" prop:value=title on:input=move |ev| title.set(event_target_value(&ev)) data-test="lesson-title-input" />
            </label>
            <label>{move || tr(Msg::LessonMinutesLabel)}
                <input type="number" min="1" max="240" inputmode="numeric" prop:value=minutes on:input=move |ev| minutes.set(event_target_value(&ev)) data-test="lesson-minutes" />
            </label>
            <label class="check">
                <input type="checkbox" prop:checked=micro on:change=move |ev| micro.set(event_target_checked(&ev)) />
                {move || tr(Msg::LessonMicroLabel)}
            </label>
            <label>{move || tr(Msg::LessonMediaLabel)}
                <select prop:value=media on:change=move |ev| media.set(event_target_value(&ev)) data-test="lesson-media">
                    <option value="">{move || tr(Msg::LessonMediaNone)}</option>
                    <option value="audio">{move || tr(Msg::LessonAudio)}</option>
                    <option value="video">{move || tr(Msg::LessonVideo)}</option>
                </select>
            </label>
            <label>{move || tr(Msg::LessonMediaUrl)}
                <input type="url" maxlength="500" placeholder="https://" prop:value=media_url on:input=move |ev| media_url.set(event_target_value(&ev)) data-test="lesson-media-url" />
            </label>
            <label>{move || tr(Msg::LessonBodyLabel)}
                <textarea rows="14" maxlength="20000" prop:value=body on:input=move |ev| body.set(event_target_value(&ev)) data-test="lesson-body-input"></textarea>
            </label>
            <p class="small muted">{move || tr(Msg::LessonBodyHint)}</p>
            <label class="check">
                <input type="checkbox" prop:checked=active on:change=move |ev| active.set(event_target_checked(&ev)) />
                {move || tr(Msg::StudyRuleActive)}
            </label>
            <ErrorNote error=send.error() />
            <p class="actions">
                <button type="button" class="big" disabled=send.busy_signal() on:click=show_preview data-test="lesson-preview">{move || tr(Msg::LessonPreview)}</button>
                <SubmitButton busy=send.busy_signal() label=Msg::StudyRuleSave class="primary big" attr:data-test="lesson-save" />
            </p>
        </form>
        <Show when=move || preview.get().is_some()>
            <article class="lesson card" data-test="lesson-preview-body" inner_html=move || preview.get().unwrap_or_default()></article>
        </Show>
    }
}
