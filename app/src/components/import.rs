//! A CSV/XLSX import: the file sent with upload progress, then the counts or the
//! row-by-row report (nothing written when any row is wrong).
use crate::components::error::ErrorNote;
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
    let error = RwSignal::new(None::<AppError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        outcome.set(None);
        #[cfg(feature = "hydrate")]
        {
            let Some(file) = input.get().and_then(|i| i.files()).and_then(|f| f.get(0)) else {
                error.set(Some(AppError::invalid("file", Msg::ImportChooseFile)));
                return;
            };
            let Ok(form) = web_sys::FormData::new() else {
                return;
            };
            let _ = form.append_with_str("file_name", &file.name());
            let _ = form.append_with_blob_and_filename("file", &file, &file.name());
            progress.set(Some(0.0));
            leptos::task::spawn_local(async move {
                let answer = crate::components::upload::browser::send(url, &form, move |f| {
                    progress.set(Some(f))
                })
                .await;
                progress.set(None);
                match answer {
                    None => error.set(Some(AppError::Internal)),
                    Some((status, body)) => {
                        // 200: counts; 422 with `errors`: the report; else an AppError.
                        match serde_json::from_str::<ImportOutcome>(&body) {
                            Ok(o) if status == 200 || !o.errors.is_empty() => outcome.set(Some(o)),
                            _ => {
                                if let Err(e) =
                                    crate::components::upload::read_answer(status, &body)
                                {
                                    error.set(Some(e));
                                }
                            }
                        }
                    }
                }
            });
        }
        let _ = (input, url);
    };
    view! {
        <details class="card">
            <summary>{move || tr(title)}</summary>
            <p class="muted">{move || tr(hint)}</p>
            {children.map(|c| c())}
            <form class="form" on:submit=submit data-test="import-form">
                <input type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    node_ref=input data-test="import-file" aria-label=move || tr(title) />
                {move || progress.get().map(|f| {
                    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                    let pct = (f * 100.0).round() as u32;
                    view! {
                        <progress max="100" value=pct.to_string()></progress>
                        <p role="status">{move || tr(Msg::Uploading).replace("{p}", &pct.to_string())}</p>
                    }
                })}
                <button type="submit" class="primary" data-test="import-submit">{move || tr(Msg::Submit)}</button>
            </form>
            <ErrorNote error=error />
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
