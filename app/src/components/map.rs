//! The grid map: Leaflet (self-hosted) in the browser, drawn after hydration. Grids
//! are drawn whether or not base tiles load; a tile failure shows a note instead of
//! a broken page. On the server it renders an empty, labelled region.
use crate::domain::geo::{LatLng as Point, MapConfig};
use crate::domain::grid::{GridId, GridSummary};
use crate::domain::ticket::{Marker, TicketStatus};
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
    /// When given, a tap on the map places this pin (WGS-84).
    #[prop(optional)]
    pin: Option<RwSignal<Option<Point>>>,
    /// Tickets drawn as circles coloured by state, clustered by zoom.
    #[prop(optional, into)]
    markers: Option<Signal<Vec<Marker>>>,
    /// Labelled points (a lost person's last-seen place and the tips).
    #[prop(optional, into)]
    spots: Option<Signal<Vec<Spot>>>,
) -> impl IntoView {
    let node = NodeRef::<Div>::new();
    let tiles_failed = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    draw::attach(
        node,
        grids,
        config,
        draw::Layers {
            selected,
            on_select,
            pin,
            markers,
            spots,
        },
        tiles_failed,
    );
    #[cfg(not(feature = "hydrate"))]
    let _ = (grids, config, selected, on_select, pin, markers, spots);
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

/// The grid map with labelled points (and, given `pin`, a tap places it), loading the
/// grids and the map's settings itself; nothing until both are in.
#[component]
pub fn SpotsMap(
    #[prop(into)] spots: Signal<Vec<Spot>>,
    #[prop(optional)] pin: Option<RwSignal<Option<Point>>>,
) -> impl IntoView {
    let grids = Resource::new(|| (), |_| crate::api::grid::list_grids());
    let config = Resource::new(|| (), |_| crate::api::grid::get_map_config());
    view! {
        <Transition fallback=|| ()>
            {move || {
                let (Some(Ok(gs)), Some(Ok(cfg))) = (grids.get(), config.get()) else { return None };
                Some(match pin {
                    Some(pin) => view! {
                        <GridMap grids=gs config=cfg selected=Signal::derive(|| None::<GridId>)
                            on_select=Callback::new(|_| ()) spots=spots pin=pin />
                    }.into_any(),
                    None => view! {
                        <GridMap grids=gs config=cfg selected=Signal::derive(|| None::<GridId>)
                            on_select=Callback::new(|_| ()) spots=spots />
                    }.into_any(),
                })
            }}
        </Transition>
    }
}

/// A labelled point on the map; `colour` fills its circle.
#[derive(Debug, Clone, PartialEq)]
pub struct Spot {
    pub at: Point,
    pub label: String,
    pub colour: &'static str,
}

/// Fill colour per level-3 grid, cycling so neighbours differ.
pub fn grid_colour(index: usize) -> &'static str {
    const PALETTE: [&str; 6] = [
        "#c62828", "#1565c0", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f",
    ];
    PALETTE[index % PALETTE.len()]
}

/// A ticket state's colour on the map and in badges.
pub fn status_colour(s: TicketStatus) -> &'static str {
    match s {
        TicketStatus::Pending => "#c62828",
        TicketStatus::Accepted => "#a64300",
        TicketStatus::InProgress => "#6d5500",
        TicketStatus::Checking => "#00695c",
        TicketStatus::Resolved => "#2e7d32",
        TicketStatus::Closed => "#455a64",
        TicketStatus::Rejected | TicketStatus::Duplicate => "#616161",
    }
}

/// Degrees of latitude/longitude that make about 56 screen pixels at a zoom level.
pub fn cluster_cell_deg(zoom: f64) -> f64 {
    56.0 * 360.0 / (256.0 * 2f64.powf(zoom))
}

#[cfg(feature = "hydrate")]
mod draw {
    use super::*;
    use crate::domain::grid::GridLevel;
    use crate::domain::ticket::cluster;
    use js_sys::{Array, Reflect};
    use leaflet::{
        CircleMarker, LatLng, LatLngBounds, LayerGroup, Map, MapOptions, MouseEvent, MouseEvents,
        PathOptions, Polygon, PolylineOptions, TileLayer, TileLayerOptions, TooltipOptions,
    };
    use std::cell::RefCell;
    use std::rc::Rc;
    use wasm_bindgen::JsValue;
    use wasm_bindgen::prelude::Closure;

    fn drawable(grids: &[GridSummary]) -> impl Iterator<Item = &GridSummary> {
        grids.iter().filter(|g| g.level == GridLevel::Grid)
    }

    type Drawn = Rc<RefCell<Vec<(GridId, Polygon, &'static str)>>>;

    pub struct Layers {
        pub selected: Signal<Option<GridId>>,
        pub on_select: Callback<GridId>,
        pub pin: Option<RwSignal<Option<Point>>>,
        pub markers: Option<Signal<Vec<Marker>>>,
        pub spots: Option<Signal<Vec<Spot>>>,
    }

    pub fn attach(
        node: NodeRef<Div>,
        grids: Vec<GridSummary>,
        config: MapConfig,
        layers: Layers,
        tiles_failed: RwSignal<bool>,
    ) {
        let Layers {
            selected,
            on_select,
            pin,
            markers,
            spots,
        } = layers;
        let drawn: Drawn = Rc::default();
        let map_slot: Rc<RefCell<Option<Map>>> = Rc::default();
        let map_for_layers = map_slot.clone();
        let zoom = RwSignal::new(f64::from(config.zoom));
        let tiles = config.tiles.clone();
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
            // Grid names only where they fit: after every zoom and pan, a label that
            // would overlap one drawn before it is hidden (tapping the grid names it).
            declutter(&el);
            let el2 = el.clone();
            map.on_move_end(Box::new(move |_| declutter(&el2)));
            if let Some(pin) = pin {
                let tiles = config.tiles.clone();
                map.on_mouse_click(Box::new(move |e: MouseEvent| {
                    let ll = e.lat_lng();
                    pin.set(Some(tiles.unproject(Point::new(ll.lat(), ll.lng()))));
                }));
            }
            let m2 = map.clone();
            map.on_zoom_end(Box::new(move |_| zoom.set(m2.get_zoom())));
            zoom.set(map.get_zoom());
            *map_slot.borrow_mut() = Some(map);
        });
        if let Some(pin) = pin {
            let slot = map_for_layers.clone();
            let tiles = tiles.clone();
            let shown: Rc<RefCell<Option<CircleMarker>>> = Rc::default();
            Effect::new(move |_| {
                let at = pin.get();
                let _ = ready.get();
                let Some(map) = slot.borrow().clone() else {
                    return;
                };
                if let Some(old) = shown.borrow_mut().take() {
                    old.remove();
                }
                let Some(at) = at else { return };
                let q = tiles.project(at);
                let ll = LatLng::new(q.lat, q.lng);
                let opts = circle_options(11.0, "#0d47a1", 0.9, "pin");
                let c = CircleMarker::new_with_options(&ll, &opts);
                c.add_to(&map);
                call(&map, "panTo", &[ll.into()]);
                *shown.borrow_mut() = Some(c);
            });
        }
        if let Some(spots) = spots {
            let slot = map_for_layers.clone();
            let tiles = tiles.clone();
            let group_slot: Rc<RefCell<Option<LayerGroup>>> = Rc::default();
            Effect::new(move |_| {
                let list = spots.get();
                let _ = ready.get();
                let Some(map) = slot.borrow().clone() else {
                    return;
                };
                let group = group_slot
                    .borrow_mut()
                    .get_or_insert_with(|| {
                        let g = LayerGroup::new();
                        g.add_to(&map);
                        g
                    })
                    .clone();
                group.clear_layers();
                for s in list {
                    let q = tiles.project(s.at);
                    let ll = LatLng::new(q.lat, q.lng);
                    let dot = CircleMarker::new_with_options(
                        &ll,
                        &circle_options(10.0, s.colour, 0.9, "spot"),
                    );
                    bind_tooltip(&dot, &s.label, &TooltipOptions::default());
                    group.add_layer(&dot);
                }
            });
        }
        if let Some(markers) = markers {
            let slot = map_for_layers;
            // Made once Leaflet has loaded (`L` does not exist before).
            let group_slot: Rc<RefCell<Option<LayerGroup>>> = Rc::default();
            Effect::new(move |_| {
                let list = markers.get();
                let z = zoom.get();
                let _ = ready.get();
                let Some(map) = slot.borrow().clone() else {
                    return;
                };
                let group = group_slot
                    .borrow_mut()
                    .get_or_insert_with(|| {
                        let g = LayerGroup::new();
                        g.add_to(&map);
                        g
                    })
                    .clone();
                group.clear_layers();
                for c in cluster(&list, cluster_cell_deg(z)) {
                    let q = tiles.project(Point::new(c.lat, c.lng));
                    let ll = LatLng::new(q.lat, q.lng);
                    let radius = if c.count == 1 { 9.0 } else { 14.0 };
                    let class = match c.single {
                        Some(id) => format!("ticket-marker ticket-{}", id.0),
                        None => "ticket-cluster".to_owned(),
                    };
                    let opts = circle_options(radius, status_colour(c.status), 0.85, &class);
                    let dot = CircleMarker::new_with_options(&ll, &opts);
                    if c.count > 1 {
                        let tip = TooltipOptions::default();
                        tip.set_permanent(true);
                        tip.set_direction("center".to_owned());
                        tip.set_class_name_js("cluster-label");
                        bind_tooltip(&dot, &c.count.to_string(), &tip);
                    }
                    let map2 = map.clone();
                    dot.on_click(Box::new(move |_| match c.single {
                        Some(id) => {
                            if let Some(w) = web_sys::window() {
                                let _ = w.location().set_href(&format!("/tickets/{}", id.0));
                            }
                        }
                        None => {
                            let z = map2.get_zoom() + 2.0;
                            call(&map2, "setView", &[ll.clone().into(), z.into()]);
                        }
                    }));
                    group.add_layer(&dot);
                }
            });
        }
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

    /// Hides each grid label that would overlap a label kept before it, and shows it
    /// again once it fits.
    fn declutter(container: &web_sys::HtmlElement) {
        let labels = container.get_elements_by_class_name("grid-label");
        let mut kept: Vec<[f64; 4]> = Vec::new();
        for i in 0..labels.length() {
            let Some(el) = labels.item(i) else { continue };
            let r = el.get_bounding_client_rect();
            let b = [r.left(), r.top(), r.right(), r.bottom()];
            let clash = kept.iter().any(|k| super::clashes(b, *k, 2.0));
            if clash {
                let _ = el.class_list().add_1("label-hidden");
            } else {
                kept.push(b);
                let _ = el.class_list().remove_1("label-hidden");
            }
        }
    }

    /// `layer.bindTooltip(node, options)` (the crate's binding names a method
    /// Leaflet does not have). Leaflet sets a *string* as HTML, and labels come from
    /// users (grid names, tips, shift titles): it gets an element whose text is set
    /// with `textContent`, so markup in a label is shown, never run.
    fn bind_tooltip(layer: &JsValue, text: &str, options: &TooltipOptions) {
        let Some(node) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.create_element("span").ok())
        else {
            return;
        };
        node.set_text_content(Some(text));
        call(layer, "bindTooltip", &[node.into(), options.into()]);
    }

    /// Calls a method by name on a Leaflet object.
    fn call(target: &JsValue, method: &str, args: &[JsValue]) {
        use wasm_bindgen::JsCast;
        if let Ok(f) = Reflect::get(target, &method.into())
            && let Ok(f) = f.dyn_into::<js_sys::Function>()
        {
            let _ = f.apply(target, &args.iter().collect::<Array>());
        }
    }

    fn circle_options(radius: f64, colour: &str, opacity: f64, class: &str) -> JsValue {
        let o = js_sys::Object::new();
        for (k, v) in [
            ("radius", JsValue::from(radius)),
            ("color", "#ffffff".into()),
            ("weight", 2.into()),
            ("fillColor", colour.into()),
            ("fillOpacity", opacity.into()),
            ("className", class.into()),
        ] {
            let _ = Reflect::set(&o, &k.into(), &v);
        }
        o.into()
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

/// Whether two screen boxes `[left, top, right, bottom]` come closer than `gap` pixels.
pub fn clashes(a: [f64; 4], b: [f64; 4], gap: f64) -> bool {
    a[0] < b[2] + gap && b[0] < a[2] + gap && a[1] < b[3] + gap && b[1] < a[3] + gap
}

#[cfg(test)]
mod label_tests {
    use super::clashes;

    #[test]
    fn labels_clash_only_when_they_come_too_close() {
        let a = [0.0, 0.0, 100.0, 20.0];
        assert!(clashes(a, [50.0, 10.0, 150.0, 30.0], 2.0), "overlapping");
        assert!(
            clashes(a, [101.0, 0.0, 200.0, 20.0], 2.0),
            "1 px apart is too close"
        );
        assert!(
            !clashes(a, [103.0, 0.0, 200.0, 20.0], 2.0),
            "3 px apart fits"
        );
        assert!(
            !clashes(a, [0.0, 25.0, 100.0, 45.0], 2.0),
            "one above the other"
        );
        assert!(clashes(a, a, 0.0), "the same place");
    }
}
