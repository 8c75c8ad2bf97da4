//! One way to write a form, and one way to show a list.
//!
//! [`Submit`] wraps a form's server call in a Leptos `Action`: `busy()` is the action's
//! `pending` (a second submit while it runs does nothing), `error()` is the local check's
//! or the server's message (shown by `ErrorNote`), `done` is what a success changes —
//! refetch a list, clear a field, go to the new page — and `version()` counts successes
//! for resources that depend on them. [`SubmitButton`] says "please wait" while it runs.
//! [`listed`] shows a list that is loading, failed, empty or there.
use crate::components::error::error_view;
use crate::domain::AppError;
use crate::i18n::Msg;
use crate::providers::tr;
use leptos::prelude::*;
use std::future::Future;

/// A form's submission: see the module's documentation.
pub struct Submit<I: 'static, O: 'static> {
    action: Action<I, Result<(), AppError>>,
    local: RwSignal<Option<AppError>>,
    done_count: RwSignal<usize>,
    _out: std::marker::PhantomData<fn(O)>,
}

impl<I, O> Clone for Submit<I, O> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<I, O> Copy for Submit<I, O> {}

impl<I, O> Submit<I, O>
where
    I: Clone + Send + Sync + 'static,
    O: 'static,
{
    /// `call` sends the input; `done` runs with its answer when it succeeds.
    pub fn new<F, Fu>(call: F, done: impl Fn(O) + 'static) -> Self
    where
        F: Fn(I) -> Fu + 'static,
        Fu: Future<Output = Result<O, AppError>> + 'static,
    {
        let done_count = RwSignal::new(0usize);
        // In the browser the call runs; the server renders a form but never submits
        // one, and an unsync action there would drop its values on another thread.
        #[cfg(feature = "hydrate")]
        let action = {
            let done = std::rc::Rc::new(done);
            Action::new_unsync(move |input: &I| {
                let answer = call(input.clone());
                let done = done.clone();
                async move {
                    let out = answer.await?;
                    done(out);
                    done_count.update(|n| *n += 1);
                    Ok(())
                }
            })
        };
        #[cfg(not(feature = "hydrate"))]
        let action = {
            let _ = (call, done);
            Action::new(|_: &I| std::future::pending::<Result<(), AppError>>())
        };
        Submit {
            action,
            local: RwSignal::new(None),
            done_count,
            _out: std::marker::PhantomData,
        }
    }

    /// Sends `input` when the local check passed, else shows the check's error.
    /// Does nothing while a call is still running.
    pub fn submit(&self, input: Result<I, AppError>) {
        if self.busy_untracked() {
            return;
        }
        match input {
            Err(e) => self.local.set(Some(e)),
            Ok(input) => {
                self.local.set(None);
                self.action.dispatch(input);
            }
        }
    }

    /// Whether the call is running, read outside a reactive context.
    pub fn busy_untracked(&self) -> bool {
        self.action.pending().get_untracked()
    }

    /// Forgets the local check's and the last call's error.
    pub fn clear(&self) {
        self.local.set(None);
        self.action.value().set(None);
    }

    /// Whether the call is running (reactive).
    pub fn busy(&self) -> bool {
        self.action.pending().get()
    }

    /// `busy` as a signal, for [`SubmitButton`].
    pub fn busy_signal(&self) -> Signal<bool> {
        let pending = self.action.pending();
        Signal::derive(move || pending.get())
    }

    /// The local check's or the last call's error; none while a call runs.
    pub fn error(&self) -> Signal<Option<AppError>> {
        let (action, local) = (self.action, self.local);
        Signal::derive(move || {
            if action.pending().get() {
                return None;
            }
            local
                .get()
                .or_else(|| action.value().get().and_then(|r| r.err()))
        })
    }

    /// How many calls have succeeded (reactive): a resource that reads it refetches.
    pub fn version(&self) -> usize {
        self.done_count.get()
    }
}

/// One message for two submissions on the same spot: the first one's error, else the
/// other's.
pub fn first_error(
    a: impl Into<Signal<Option<AppError>>>,
    b: impl Into<Signal<Option<AppError>>>,
) -> Signal<Option<AppError>> {
    let (a, b) = (a.into(), b.into());
    Signal::derive(move || a.get().or_else(|| b.get()))
}

/// A form's submit button: its label, or "please wait" (and disabled) while it runs.
#[component]
pub fn SubmitButton(
    #[prop(into)] busy: Signal<bool>,
    #[prop(into)] label: Signal<Msg>,
    #[prop(default = "primary")] class: &'static str,
) -> impl IntoView {
    view! {
        <button type="submit" class=class disabled=busy aria-busy=move || busy.get().to_string()>
            {move || if busy.get() { tr(Msg::Working) } else { tr(label.get()) }}
        </button>
    }
}

/// "Loading…" while a load runs.
pub fn loading() -> impl IntoView {
    view! { <p>{move || tr(Msg::Loading)}</p> }
}

/// A list that is loading, failed, empty (`empty` said) or shown by `show`.
pub fn listed<T, V>(
    list: Resource<Result<Vec<T>, AppError>>,
    empty: Msg,
    show: impl Fn(Vec<T>) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    view! {
        <Transition fallback=loading>
            {move || list.get().map(|r| match r {
                Ok(items) if items.is_empty() => view! { <p class="muted" data-test="empty">{move || tr(empty)}</p> }.into_any(),
                Ok(items) => show(items).into_any(),
                Err(e) => error_view(e),
            })}
        </Transition>
    }
}
