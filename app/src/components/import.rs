//! A CSV/XLSX import: the file sent with upload progress, then the counts or the
//! row-by-row report (nothing written when any row is wrong).
use crate::components::error::ErrorNote;
use crate::components::form::{Submit, SubmitButton};
use crate::components::upload::{Progress, chosen_file};
use crate::domain::AppError;
use crate::domain::resident::ImportOutcome;
use crate::i18n::Msg;
use crate::providers::lang::use_lang;
use crate::providers::tr;
use leptos::prelude::*;

/// Upload with progress to `url` (multipart, field `file`); the answer is the counts
/// (`done` with `{c}` created and `{u}` updated) or the row-by-row report (`failed`
/// with `{n}` problems). Children show under the hint (a template link, say).
#[component]
pub fn ImportForm(
    url: &'static str,
    title: Msg,
    hint: Msg,
    done: Msg,
    failed: Msg,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let lang = use_lang();
    let input = NodeRef::<leptos::html::Input>::new();
    let progress = RwSignal::new(None::<f64>);
    let outcome = RwSignal::new(None::<ImportOutcome>);
    let upload = Submit::new(
        move |()| {
            let file = chosen_file(input);
            async move {
                let file = file?;
                #[cfg(feature = "hydrate")]
                {
                    send(url, &file, progress).await
                }
                #[cfg(not(feature = "hydrate"))]
                {
                    let _ = (file, url, progress);
                    Err::<ImportOutcome, _>(AppError::Internal)
                }
            }
        },
        move |o| outcome.set(Some(o)),
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        outcome.set(None);
        upload.submit(chosen_file(input).map(|_| ()));
    };
    view! {
        <details class="card">
            <summary>{move || tr(title)}</summary>
            <p class="muted">{move || tr(hint)}</p>
            {children.map(|c| c())}
            <form class="form" on:submit=submit data-test="import-form">
                <input type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    node_ref=input data-test="import-file" aria-label=move || tr(title) />
                <Progress progress=progress />
                <SubmitButton busy=upload.busy_signal() label=Msg::Submit attr:data-test="import-submit" />
            </form>
            <ErrorNote error=upload.error() />
            {move || outcome.get().map(|o| if o.errors.is_empty() {
                view! {
                    <p class="card ok" role="status" data-test="import-done">
                        {move || tr(done).replace("{c}", &o.created.to_string()).replace("{u}", &o.updated.to_string())}
                    </p>
                }.into_any()
            } else {
                let n = o.errors.len();
                view! {
                    <p class="error" role="alert">{move || tr(failed).replace("{n}", &n.to_string())}</p>
                    <div class="table-wrap" tabindex="0" role="region" aria-label=move || tr(title)>
                        <table data-test="import-errors">
                            <thead><tr>
                                <th scope="col">{move || tr(Msg::ColRow)}</th>
                                <th scope="col">{move || tr(Msg::ColColumn)}</th>
                                <th scope="col">{move || tr(Msg::ColProblem)}</th>
                                <th scope="col">{move || tr(Msg::ColValue)}</th>
                            </tr></thead>
                            <tbody>
                                {o.errors.into_iter().map(|e| view! {
                                    <tr><td>{e.row}</td><td>{e.column}</td><td>{move || e.msg.text(lang.get())}</td><td>{e.value}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            })}
        </details>
    }
}

/// Sends the file with its progress: the counts (200), the row-by-row report (422 with
/// `errors`), or the route's error. A dropped connection says so.
#[cfg(feature = "hydrate")]
async fn send(
    url: &str,
    file: &web_sys::File,
    progress: RwSignal<Option<f64>>,
) -> Result<ImportOutcome, AppError> {
    let form = web_sys::FormData::new().map_err(|_| AppError::Internal)?;
    let _ = form.append_with_str("file_name", &file.name());
    let _ = form.append_with_blob_and_filename("file", file, &file.name());
    progress.set(Some(0.0));
    let answer =
        crate::components::upload::browser::send(url, &form, move |f| progress.set(Some(f))).await;
    progress.set(None);
    let Some((status, body)) = answer else {
        return Err(AppError::invalid("file", Msg::ErrConnection));
    };
    match serde_json::from_str::<ImportOutcome>(&body) {
        Ok(o) if status == 200 || !o.errors.is_empty() => Ok(o),
        // Any other answer carries the route's error (a 2xx without counts is a fault).
        _ => match crate::components::upload::read_answer(status, &body) {
            Ok(_) => Err(AppError::Internal),
            Err(e) => Err(e),
        },
    }
}
