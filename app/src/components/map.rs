//! The grid map: Leaflet (self-hosted) in the browser, drawn after hydration. Grids
//! are drawn whether or not base tiles load; a tile failure shows a note instead of
//! a broken page. On the server it renders an empty, labelled region.
use crate::domain::geo::MapConfig;
use crate::domain::grid::{GridId, GridSummary};
use crate::i18n::Msg;
use crate::providers::tr;
use leptos::html::Div;
use leptos::prelude::*;

#[component]
pub fn GridMap(
    grids: Vec<GridSummary>,
    config: MapConfig,
    #[prop(into)] selected: Signal<Option<GridId>>,
    on_select: Callback<GridId>,
) -> impl IntoView {
    let node = NodeRef::<Div>::new();
    let tiles_failed = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    draw::attach(node, grids, config, selected, on_select, tiles_failed);
    #[cfg(not(feature = "hydrate"))]
    let _ = (grids, config, selected, on_select);
    view! {
        // Leaflet is loaded by the map alone, so other pages stay light.
        <link rel="stylesheet" href="/leaflet/leaflet.css" />
        <div class="map-wrap">
            <div
                class="map"
                node_ref=node
                role="region"
                aria-label=move || tr(Msg::MapRegion)
                data-test="map"
            ></div>
            <Show when=move || tiles_failed.get()>
                <p class="map-note" data-test="no-tiles">{move || tr(Msg::MapNoTiles)}</p>
            </Show>
        </div>
    }
}

/// Fill colour per level-3 grid, cycling so neighbours differ.
pub fn grid_colour(index: usize) -> &'static str {
    const PALETTE: [&str; 6] = [
        "#c62828", "#1565c0", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f",
    ];
    PALETTE[index % PALETTE.len()]
}

#[cfg(feature = "hydrate")]
mod draw {
    use super::*;
    use crate::domain::grid::GridLevel;
    use js_sys::{Array, Reflect};
    use leaflet::{
        LatLng, LatLngBounds, Map, MapOptions, MouseEvents, PathOptions, Polygon, PolylineOptions,
        TileLayer, TileLayerOptions, TooltipOptions,
    };
    use std::cell::RefCell;
    use std::rc::Rc;
    use wasm_bindgen::JsValue;
    use wasm_bindgen::prelude::Closure;

    fn drawable(grids: &[GridSummary]) -> impl Iterator<Item = &GridSummary> {
        grids.iter().filter(|g| g.level == GridLevel::Grid)
    }

    type Drawn = Rc<RefCell<Vec<(GridId, Polygon, &'static str)>>>;

    pub fn attach(
        node: NodeRef<Div>,
        grids: Vec<GridSummary>,
        config: MapConfig,
        selected: Signal<Option<GridId>>,
        on_select: Callback<GridId>,
        tiles_failed: RwSignal<bool>,
    ) {
        let drawn: Drawn = Rc::default();
        let map_slot: Rc<RefCell<Option<Map>>> = Rc::default();
        let drawn2 = drawn.clone();
        let ready = RwSignal::new(leaflet_loaded());
        if !ready.get_untracked() {
            load_leaflet(ready);
        }
        Effect::new(move |_| {
            let Some(el) = node.get() else { return };
            if map_slot.borrow().is_some() || !ready.get() {
                return;
            }
            let opts = MapOptions::default();
            // Fractional zoom lets the street fill a narrow phone screen.
            let _ = Reflect::set(&opts, &"zoomSnap".into(), &0.25.into());
            let Ok(map) = Map::new_with_element(&el, &opts) else {
                return;
            };
            map.set_view(
                &LatLng::new(config.center.lat, config.center.lng),
                f64::from(config.zoom),
            );
            add_tiles(&map, &config, tiles_failed);
            let bounds: Option<LatLngBounds> = None;
            let mut bounds = bounds;
            for (i, g) in drawable(&grids).enumerate() {
                let colour = grid_colour(i);
                let rings = Array::new();
                for ring in &g.rings {
                    let pts = Array::new();
                    for p in ring {
                        let q = config.tiles.project(*p);
                        let ll = LatLng::new(q.lat, q.lng);
                        match &bounds {
                            Some(b) => {
                                b.extend(&ll);
                            }
                            None => bounds = Some(LatLngBounds::new(&ll, &ll)),
                        }
                        pts.push(&ll);
                    }
                    rings.push(&pts);
                }
                let style = PolylineOptions::default();
                style.set_color(colour.to_owned());
                style.set_fill_color(colour.to_owned());
                style.set_fill_opacity(0.18);
                style.set_weight(2.0);
                style.set_class_name(format!("grid-poly grid-{}", g.code));
                let poly = Polygon::new_with_options(&rings, &style);
                let tip = TooltipOptions::default();
                tip.set_permanent(true);
                tip.set_direction("center".to_owned());
                tip.set_class_name_js("grid-label");
                // The short name ("新华街02网格"); the place name is in the panel.
                let label = g.name.split('·').next().unwrap_or(&g.name);
                bind_tooltip(&poly, label, &tip);
                let id = g.id;
                poly.on_click(Box::new(move |_| on_select.run(id)));
                poly.add_to(&map);
                drawn2.borrow_mut().push((id, poly, colour));
            }
            if let Some(b) = bounds {
                map.fit_bounds(&b);
            }
            *map_slot.borrow_mut() = Some(map);
        });
        Effect::new(move |_| {
            let sel = selected.get();
            for (id, poly, colour) in drawn.borrow().iter() {
                let style = PathOptions::default();
                let on = sel == Some(*id);
                style.set_weight(if on { 5.0 } else { 2.0 });
                style.set_fill_opacity(if on { 0.4 } else { 0.18 });
                style.set_color((*colour).to_owned());
                poly.set_style(&style);
            }
        });
    }

    /// `layer.bindTooltip(text, options)` (the crate's binding names a method
    /// Leaflet does not have).
    fn bind_tooltip(layer: &Polygon, text: &str, options: &TooltipOptions) {
        use wasm_bindgen::JsCast;
        if let Ok(f) = Reflect::get(layer, &"bindTooltip".into())
            && let Ok(f) = f.dyn_into::<js_sys::Function>()
        {
            let _ = f.call2(layer, &text.into(), options);
        }
    }

    /// Adds the self-hosted Leaflet script once; `ready` turns true when it has run.
    fn load_leaflet(ready: RwSignal<bool>) {
        use wasm_bindgen::JsCast;
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let script = match doc.get_element_by_id("leaflet-js") {
            Some(s) => s,
            None => {
                let Ok(s) = doc.create_element("script") else {
                    return;
                };
                s.set_id("leaflet-js");
                let _ = s.set_attribute("src", "/leaflet/leaflet.js");
                if let Some(head) = doc.head() {
                    let _ = head.append_child(&s);
                }
                s
            }
        };
        let on_load = Closure::<dyn Fn()>::new(move || ready.set(leaflet_loaded()));
        if let Ok(el) = script.dyn_into::<web_sys::EventTarget>() {
            let _ = el.add_event_listener_with_callback("load", on_load.as_ref().unchecked_ref());
        }
        on_load.forget();
    }

    fn leaflet_loaded() -> bool {
        web_sys::window()
            .is_some_and(|w| Reflect::has(&w, &JsValue::from_str("L")).unwrap_or(false))
    }

    fn add_tiles(map: &Map, config: &MapConfig, tiles_failed: RwSignal<bool>) {
        let Some((url, attribution)) = config.tiles.template() else {
            return;
        };
        let opts = TileLayerOptions::default();
        opts.set_attribution(attribution.to_owned());
        opts.set_max_zoom(18.0);
        let _ = Reflect::set(
            &opts,
            &"subdomains".into(),
            &config.tiles.subdomains().into(),
        );
        let layer = TileLayer::new_options(&url, &opts);
        let on_error = Closure::<dyn Fn(JsValue)>::new(move |_| tiles_failed.set(true));
        layer.on("tileerror", on_error.as_ref());
        on_error.forget();
        layer.add_to(map);
    }

    trait ClassName {
        fn set_class_name_js(&self, name: &str);
    }

    impl ClassName for TooltipOptions {
        fn set_class_name_js(&self, name: &str) {
            let _ = Reflect::set(self, &"className".into(), &name.into());
        }
    }
}
