//! The photo pipeline: bytes from a phone in, two clean JPEGs out. The type is
//! sniffed from the bytes (JPEG, PNG, WebP), size and pixel limits are enforced
//! before decoding (a decompression bomb is refused from its header), the image is
//! turned upright from its EXIF orientation, and re-encoded — so no metadata, GPS
//! included, survives. Stored content-addressed: the same photo twice is one file.
use app::domain::AppError;
use app::i18n::Msg;
use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjPath;
use object_store::{ObjectStore, ObjectStoreExt, PutMode, PutOptions};
use sha2::{Digest, Sha256};
use std::io::Cursor;
use std::sync::Arc;

#[derive(Debug, Clone, Copy)]
pub struct PhotoLimits {
    pub max_bytes: usize,
    /// Width × height, checked from the header before any pixel is decoded.
    pub max_pixels: u64,
    /// Longest side of the display copy.
    pub display_side: u32,
    pub thumb_side: u32,
}

impl Default for PhotoLimits {
    fn default() -> Self {
        Self {
            max_bytes: 12 * 1024 * 1024,
            // 4096 × 4096: a 16-MP phone photo (4608 × 3456) fits; the browser sends
            // at most 1600 px anyway. Decoding time grows with pixels, so this bounds
            // what one upload can cost.
            max_pixels: 16_777_216,
            display_side: 1600,
            thumb_side: 320,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    #[error("file too large")]
    TooLarge,
    #[error("not a JPEG, PNG or WebP")]
    Type,
    #[error("too many pixels")]
    Pixels,
    #[error("cannot decode")]
    Broken,
}

impl From<PhotoError> for AppError {
    fn from(e: PhotoError) -> Self {
        match e {
            PhotoError::TooLarge => AppError::TooLarge,
            PhotoError::Type => AppError::invalid("photo", Msg::ErrPhotoType),
            PhotoError::Pixels => AppError::invalid("photo", Msg::ErrPhotoPixels),
            PhotoError::Broken => AppError::invalid("photo", Msg::ErrPhotoBroken),
        }
    }
}

/// The display copy and thumbnail, both JPEG without metadata.
#[derive(Debug, Clone)]
pub struct Processed {
    pub display: Vec<u8>,
    pub width: u32,
    pub height: u32,
    pub thumb: Vec<u8>,
}

const QUALITY: u8 = 82;

/// Runs the pipeline on a blocking thread, at most [`decode_slots`] at once across the
/// process, so a crowd of uploads queues instead of taking every core: the server
/// keeps answering pages, alerts and `/healthz` while photos wait their turn.
pub async fn process_bounded(bytes: Vec<u8>, limits: PhotoLimits) -> Result<Processed, PhotoError> {
    static SLOTS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    let slots = SLOTS.get_or_init(|| tokio::sync::Semaphore::new(decode_slots()));
    let _permit = slots.acquire().await.map_err(|_| PhotoError::Broken)?;
    tokio::task::spawn_blocking(move || process(&bytes, limits))
        .await
        .map_err(|_| PhotoError::Broken)?
}

/// One core is always left for everything else (one slot on a 2-core machine).
pub fn decode_slots() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get().saturating_sub(1))
        .max(1)
}

/// Runs the pipeline; CPU-heavy, so callers use [`process_bounded`].
pub fn process(bytes: &[u8], limits: PhotoLimits) -> Result<Processed, PhotoError> {
    if bytes.len() > limits.max_bytes {
        return Err(PhotoError::TooLarge);
    }
    let format = image::guess_format(bytes).map_err(|_| PhotoError::Type)?;
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP
    ) {
        return Err(PhotoError::Type);
    }
    if format == ImageFormat::Jpeg && !jpeg_complete(bytes) {
        // Decoders fill a cut-off JPEG with grey; a dropped upload must not pass.
        return Err(PhotoError::Broken);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut l = Limits::default();
    l.max_alloc = Some(limits.max_pixels.saturating_mul(4) + 64 * 1024 * 1024);
    reader.limits(l);
    let mut decoder = reader.into_decoder().map_err(|_| PhotoError::Broken)?;
    let (w, h) = decoder.dimensions();
    if u64::from(w) * u64::from(h) > limits.max_pixels || w == 0 || h == 0 {
        return Err(PhotoError::Pixels);
    }
    let orientation = decoder.orientation().map_err(|_| PhotoError::Broken)?;
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| match e {
        image::ImageError::Limits(_) => PhotoError::Pixels,
        _ => PhotoError::Broken,
    })?;
    img.apply_orientation(orientation);
    let display = fit(&img, limits.display_side, FilterType::Triangle);
    let thumb = fit(&display, limits.thumb_side, FilterType::Triangle);
    Ok(Processed {
        width: display.width(),
        height: display.height(),
        display: jpeg(&display)?,
        thumb: jpeg(&thumb)?,
    })
}

/// A JPEG whose last scan is followed by its end marker (bytes a camera appends
/// after the end marker are allowed).
fn jpeg_complete(bytes: &[u8]) -> bool {
    let last_scan = bytes.windows(2).rposition(|w| w == [0xFF, 0xDA]);
    last_scan.is_some_and(|at| bytes[at..].windows(2).any(|w| w == [0xFF, 0xD9]))
}

fn fit(img: &DynamicImage, side: u32, filter: FilterType) -> DynamicImage {
    if img.width() <= side && img.height() <= side {
        img.clone()
    } else {
        img.resize(side, side, filter)
    }
}

fn jpeg(img: &DynamicImage) -> Result<Vec<u8>, PhotoError> {
    let mut out = Vec::new();
    let rgb = img.to_rgb8();
    JpegEncoder::new_with_quality(&mut out, QUALITY)
        .encode_image(&rgb)
        .map_err(|_| PhotoError::Broken)?;
    Ok(out)
}

/// Content-addressed photo files (`ab/abcdef….jpg`) in an `object_store`: a local
/// folder by default, S3-compatible storage when built with the `s3` feature and
/// configured with an `s3://` URL.
#[derive(Debug, Clone)]
pub struct PhotoStore {
    store: Arc<dyn ObjectStore>,
}

/// A key is the SHA-256 of the bytes, in lowercase hex.
pub fn is_key(key: &str) -> bool {
    key.len() == 64 && key.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn location(key: &str) -> ObjPath {
    ObjPath::from(format!("{}/{key}.jpg", key.get(..2).unwrap_or("xx")))
}

impl PhotoStore {
    /// Files under a local folder (created if missing). The store writes each file
    /// beside its place and renames it in, so a file appears whole or not at all.
    pub fn local(root: &std::path::Path) -> Result<Self, object_store::Error> {
        std::fs::create_dir_all(root).map_err(|e| object_store::Error::Generic {
            store: "LocalFileSystem",
            source: Box::new(e),
        })?;
        Ok(Self {
            store: Arc::new(LocalFileSystem::new_with_prefix(root)?),
        })
    }

    /// `s3://bucket/prefix` (needs the `s3` feature; credentials from `AWS_*`) or a
    /// local folder path.
    pub fn from_setting(setting: &str) -> Result<Self, object_store::Error> {
        if !setting.contains("://") {
            return Self::local(std::path::Path::new(setting));
        }
        let url = url::Url::parse(setting).map_err(|e| object_store::Error::Generic {
            store: "config",
            source: Box::new(e),
        })?;
        let (store, prefix) = object_store::parse_url_opts(
            &url,
            std::env::vars().map(|(k, v)| (k.to_ascii_lowercase(), v)),
        )?;
        Ok(Self {
            store: Arc::new(object_store::prefix::PrefixStore::new(store, prefix)),
        })
    }

    /// Writes the bytes (once) and returns their key and whether this call wrote them.
    pub async fn put(&self, bytes: Vec<u8>) -> Result<(String, bool), object_store::Error> {
        let key = hex(&Sha256::digest(&bytes));
        let at = location(&key);
        if self.store.head(&at).await.is_ok() {
            return Ok((key, false));
        }
        let opts = PutOptions::from(PutMode::Create);
        match self.store.put_opts(&at, bytes.into(), opts).await {
            Ok(_) => Ok((key, true)),
            Err(object_store::Error::AlreadyExists { .. }) => Ok((key, false)),
            Err(e) => Err(e),
        }
    }

    /// The bytes for a key, if the key is well-formed and present.
    pub async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, object_store::Error> {
        if !is_key(key) {
            return Ok(None);
        }
        match self.store.get(&location(key)).await {
            Ok(r) => Ok(Some(r.bytes().await?.to_vec())),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Keys of the files last written before `before_ms` (Unix milliseconds).
    pub async fn keys_older_than(
        &self,
        before_ms: i64,
    ) -> Result<Vec<String>, object_store::Error> {
        use futures_util::TryStreamExt;
        let metas: Vec<object_store::ObjectMeta> = self.store.list(None).try_collect().await?;
        Ok(metas
            .into_iter()
            .filter(|m| m.last_modified.timestamp_millis() < before_ms)
            .filter_map(|m| {
                let name = m.location.filename()?.strip_suffix(".jpg")?.to_owned();
                is_key(&name).then_some(name)
            })
            .collect())
    }

    pub async fn delete(&self, key: &str) -> Result<(), object_store::Error> {
        if !is_key(key) {
            return Ok(());
        }
        match self.store.delete(&location(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e),
        }
    }
}

/// Lowercase hex, as content addresses and stored token hashes are written.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Files younger than this are never swept: a report may have written its photos and
/// not yet committed the row that names them.
pub const SWEEP_GRACE_MS: i64 = 60 * 60 * 1000;

/// Removes photo files that no row names and that were written before `before_ms`
/// (a crash between writing a file and committing its ticket leaves such files).
/// Returns how many were removed.
pub async fn sweep_orphans(
    db: &crate::db::Db,
    store: &PhotoStore,
    before_ms: i64,
) -> Result<usize, AppError> {
    let candidates = store
        .keys_older_than(before_ms)
        .await
        .map_err(super::internal)?;
    if candidates.is_empty() {
        return Ok(0);
    }
    let used = db.photo_keys_in_use().await.map_err(super::internal)?;
    let mut removed = 0;
    for key in candidates.iter().filter(|k| !used.contains(*k)) {
        store.delete(key).await.map_err(super::internal)?;
        removed += 1;
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, RgbImage};

    /// A 400×200 JPEG: left half red, right half blue.
    fn red_blue_jpeg() -> Vec<u8> {
        let img = RgbImage::from_fn(400, 200, |x, _| {
            if x < 200 {
                Rgb([220, 20, 20])
            } else {
                Rgb([20, 20, 220])
            }
        });
        let mut out = Vec::new();
        JpegEncoder::new_with_quality(&mut out, 90)
            .encode_image(&img)
            .unwrap();
        out
    }

    /// An EXIF APP1 segment: Orientation = 6 (turn 90° clockwise to view) and a GPS
    /// IFD with a latitude reference, as a phone camera writes them.
    fn exif_app1() -> Vec<u8> {
        let mut tiff = Vec::new();
        tiff.extend_from_slice(b"MM\0*\0\0\0\x08");
        tiff.extend_from_slice(&[0, 2]); // IFD0: two entries
        tiff.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]); // Orientation = 6
        tiff.extend_from_slice(&[0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 38]); // GPS IFD at 38
        tiff.extend_from_slice(&[0, 0, 0, 0]);
        tiff.extend_from_slice(&[0, 1]); // GPS IFD: one entry
        tiff.extend_from_slice(&[0x00, 0x01, 0, 2, 0, 0, 0, 2, b'N', 0, 0, 0]); // GPSLatitudeRef "N"
        tiff.extend_from_slice(&[0, 0, 0, 0]);
        let mut seg = vec![0xFF, 0xE1];
        let len = u16::try_from(2 + 6 + tiff.len()).unwrap();
        seg.extend_from_slice(&len.to_be_bytes());
        seg.extend_from_slice(b"Exif\0\0");
        seg.extend_from_slice(&tiff);
        seg
    }

    fn with_exif(jpeg: &[u8]) -> Vec<u8> {
        let mut out = jpeg[..2].to_vec();
        out.extend(exif_app1());
        out.extend_from_slice(&jpeg[2..]);
        out
    }

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn exif_orientation_applied_and_all_metadata_stripped() {
        let input = with_exif(&red_blue_jpeg());
        assert!(contains(&input, b"Exif"));
        let p = process(&input, PhotoLimits::default()).unwrap();
        // Turned upright: the red left half is now the top half.
        assert_eq!((p.width, p.height), (200, 400));
        let img = image::load_from_memory(&p.display).unwrap().to_rgb8();
        let top = img.get_pixel(100, 50);
        let bottom = img.get_pixel(100, 350);
        assert!(top[0] > 150 && top[2] < 100, "top {top:?}");
        assert!(bottom[2] > 150 && bottom[0] < 100, "bottom {bottom:?}");
        for out in [&p.display, &p.thumb] {
            assert!(!contains(out, b"Exif"), "EXIF left in output");
            assert!(
                !contains(out, &[0x88, 0x25]) || !contains(out, b"MM\0*"),
                "GPS left in output"
            );
        }
    }

    #[test]
    fn large_photos_are_scaled_to_display_and_thumbnail() {
        let img = RgbImage::from_fn(4000, 3000, |x, y| {
            Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        });
        let mut bytes = Vec::new();
        JpegEncoder::new_with_quality(&mut bytes, 85)
            .encode_image(&img)
            .unwrap();
        let p = process(&bytes, PhotoLimits::default()).unwrap();
        assert_eq!((p.width, p.height), (1600, 1200));
        let t = image::load_from_memory(&p.thumb).unwrap();
        assert_eq!((t.width(), t.height()), (320, 240));
    }

    #[test]
    fn png_and_webp_accepted() {
        let img = DynamicImage::ImageRgb8(RgbImage::from_pixel(30, 20, Rgb([1, 2, 3])));
        for fmt in [ImageFormat::Png, ImageFormat::WebP] {
            let mut bytes = Vec::new();
            img.write_to(&mut Cursor::new(&mut bytes), fmt).unwrap();
            let p = process(&bytes, PhotoLimits::default()).unwrap();
            assert_eq!((p.width, p.height), (30, 20), "{fmt:?}");
        }
    }

    #[test]
    fn a_decompression_bomb_is_refused_from_its_header() {
        // A tiny JPEG whose frame header claims 60000×60000 pixels.
        let mut bytes = Vec::new();
        JpegEncoder::new(&mut bytes)
            .encode_image(&RgbImage::new(16, 16))
            .unwrap();
        let sof = bytes.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
        bytes[sof + 5..sof + 7].copy_from_slice(&60000u16.to_be_bytes());
        bytes[sof + 7..sof + 9].copy_from_slice(&60000u16.to_be_bytes());
        assert_eq!(
            process(&bytes, PhotoLimits::default()).unwrap_err(),
            PhotoError::Pixels
        );
    }

    #[test]
    fn wrong_type_oversize_and_broken_files_get_their_errors() {
        assert_eq!(
            process(b"GIF89a\x01\x00\x01\x00", PhotoLimits::default()).unwrap_err(),
            PhotoError::Type
        );
        assert_eq!(
            process(b"hello, not a photo", PhotoLimits::default()).unwrap_err(),
            PhotoError::Type
        );
        let small = PhotoLimits {
            max_bytes: 100,
            ..PhotoLimits::default()
        };
        assert_eq!(
            process(&red_blue_jpeg(), small).unwrap_err(),
            PhotoError::TooLarge
        );
        let mut cut = red_blue_jpeg();
        cut.truncate(cut.len() / 3);
        assert_eq!(
            process(&cut, PhotoLimits::default()).unwrap_err(),
            PhotoError::Broken
        );
        assert_eq!(AppError::from(PhotoError::TooLarge).status(), 413);
        assert_eq!(AppError::from(PhotoError::Type).status(), 422);
    }

    #[tokio::test]
    async fn store_is_content_addressed_and_atomic() {
        let root = std::env::temp_dir().join(format!("tongxin-photos-{}", std::process::id()));
        let store = PhotoStore::local(&root).unwrap();
        let (a, new_a) = store.put(b"same bytes".to_vec()).await.unwrap();
        let (b, new_b) = store.put(b"same bytes".to_vec()).await.unwrap();
        assert_eq!((a.as_str(), new_a, new_b), (b.as_str(), true, false));
        assert!(is_key(&a));
        assert_eq!(
            store.get(&a).await.unwrap().as_deref(),
            Some(&b"same bytes"[..])
        );
        assert_eq!(store.get("../../etc/passwd").await.unwrap(), None);
        assert_eq!(store.get(&"0".repeat(64)).await.unwrap(), None);
        // Nothing but the one file (no temporary left behind).
        let files: Vec<_> = std::fs::read_dir(root.join(&a[..2])).unwrap().collect();
        assert_eq!(files.len(), 1);
        store.delete(&a).await.unwrap();
        assert_eq!(store.get(&a).await.unwrap(), None);
        std::fs::remove_dir_all(root).unwrap();
    }
}
