//! Account photos: PNG or JPEG judged by content (not by the declared type), decoded with
//! limits (4096×4096 pixels, bounded memory), shrunk to at most 512×512 and re-encoded, which
//! drops every metadata chunk (EXIF, GPS, comments). Decoding runs on the blocking pool, at most
//! one per core at a time, each bounded to what a 4096×4096 RGBA8 image needs, so a burst of
//! uploads costs at most `cores × 64 MiB` and never stalls the async executor.
//! Storing, serving and removing an account's photo are here too.

use std::io::Cursor;

use image::{ImageFormat, ImageReader, Limits};
use shared::ErrorCode;

use crate::error::{Error, Result};

pub const MAX_BYTES: usize = 1024 * 1024;
const MAX_PIXELS_SIDE: u32 = 4096;
const SERVED_SIDE: u32 = 512;
/// The most one decode may allocate: a 4096×4096 image at 4 bytes a pixel.
const MAX_ALLOC: u64 = MAX_PIXELS_SIDE as u64 * MAX_PIXELS_SIDE as u64 * 4;

/// Decodes photos on the blocking pool, a bounded number at a time.
#[derive(Clone, Default)]
pub struct Decoder {
    pool: crate::blocking::Bounded,
}

impl Decoder {
    /// [`process`], waiting for a free decoder first.
    pub async fn process(&self, bytes: Vec<u8>) -> Result<(Vec<u8>, &'static str)> {
        self.pool.run(move || process(&bytes)).await?
    }
}

/// The re-encoded image and its content type.
pub fn process(bytes: &[u8]) -> Result<(Vec<u8>, &'static str)> {
    let unsupported = || {
        Error::new(
            ErrorCode::UnsupportedMediaType,
            "the photo must be a PNG or JPEG image",
        )
    };
    let format = image::guess_format(bytes).map_err(|_| unsupported())?;
    if !matches!(format, ImageFormat::Png | ImageFormat::Jpeg) {
        return Err(unsupported());
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_PIXELS_SIDE);
    limits.max_image_height = Some(MAX_PIXELS_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let image = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => Error::field(
            "photo",
            "must be at most 4096×4096 pixels at 8 bits per channel",
        ),
        _ => Error::field("photo", "is not a readable PNG or JPEG image"),
    })?;
    let image = if image.width() > SERVED_SIDE || image.height() > SERVED_SIDE {
        image.thumbnail(SERVED_SIDE, SERVED_SIDE)
    } else {
        image
    };
    let mut out = Cursor::new(Vec::new());
    let content_type = match format {
        ImageFormat::Png => {
            image
                .write_to(&mut out, ImageFormat::Png)
                .map_err(|e| Error::Internal(e.into()))?;
            "image/png"
        }
        _ => {
            image
                .to_rgb8()
                .write_to(&mut out, ImageFormat::Jpeg)
                .map_err(|e| Error::Internal(e.into()))?;
            "image/jpeg"
        }
    };
    Ok((out.into_inner(), content_type))
}

/// Stores the account's (already processed) photo.
pub async fn set(
    s: &super::Services,
    ctx: &super::audit::Ctx,
    account_id: uuid::Uuid,
    org: Option<uuid::Uuid>,
    bytes: Vec<u8>,
    content_type: &str,
) -> Result<()> {
    let txn = s.db.begin().await?;
    crate::store::accounts::put_photo(&txn, account_id, bytes, content_type, ctx.now).await?;
    super::accounts::set_has_photo(&txn, ctx, account_id, true).await?;
    let target = Some(format!("account:{account_id}"));
    super::audit::record(
        &txn,
        ctx,
        org,
        super::audit::AuditAction::AccountPhotoSet,
        target,
        serde_json::json!({}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The account's photo: its content type and bytes.
pub async fn get(s: &super::Services, account_id: uuid::Uuid) -> Result<(String, Vec<u8>)> {
    let photo = crate::store::accounts::photo(s.db.read(), account_id)
        .await?
        .ok_or_else(|| Error::not_found("photo"))?;
    Ok((photo.content_type, photo.bytes))
}

pub async fn delete(
    s: &super::Services,
    ctx: &super::audit::Ctx,
    account_id: uuid::Uuid,
    org: Option<uuid::Uuid>,
) -> Result<()> {
    let txn = s.db.begin().await?;
    if !crate::store::accounts::delete_photo(&txn, account_id).await? {
        return Err(Error::not_found("photo"));
    }
    super::accounts::set_has_photo(&txn, ctx, account_id, false).await?;
    let target = Some(format!("account:{account_id}"));
    super::audit::record(
        &txn,
        ctx,
        org,
        super::audit::AuditAction::AccountPhotoDeleted,
        target,
        serde_json::json!({}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_pixel(w, h, image::Rgb([10, 200, 30]));
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn shrinks_large_images_and_keeps_small_ones() {
        let (bytes, ct) = process(&png(1000, 500)).unwrap();
        assert_eq!(ct, "image/png");
        let img = image::load_from_memory(&bytes).unwrap();
        assert_eq!((img.width(), img.height()), (512, 256));
        let (bytes, _) = process(&png(40, 30)).unwrap();
        let img = image::load_from_memory(&bytes).unwrap();
        assert_eq!((img.width(), img.height()), (40, 30));
    }

    /// A PNG whose header claims `w`×`h` with (almost) no pixel data behind it.
    fn png_header_only(w: u32, h: u32) -> Vec<u8> {
        let mut png = png(1, 1);
        // IHDR's width and height sit right after the signature and the chunk's length and type.
        png[16..20].copy_from_slice(&w.to_be_bytes());
        png[20..24].copy_from_slice(&h.to_be_bytes());
        let crc = crc32fast::hash(&png[12..29]);
        png[29..33].copy_from_slice(&crc.to_be_bytes());
        png
    }

    #[test]
    fn refuses_what_is_over_the_pixel_limit_before_decoding() {
        for (w, h) in [(4097, 10), (10, 4097), (60_000, 60_000)] {
            let err = process(&png_header_only(w, h)).unwrap_err();
            assert_eq!(err.code(), ErrorCode::ValidationFailed, "{w}×{h}");
            assert!(format!("{err:?}").contains("4096"), "{w}×{h}: {err:?}");
        }
        // 4096 on a side is allowed: 8 bits per channel fit the allocation bound.
        let (bytes, _) = process(&png(4096, 8)).unwrap();
        let img = image::load_from_memory(&bytes).unwrap();
        assert_eq!((img.width(), img.height()), (512, 1));
    }

    #[test]
    fn a_sixteen_bit_image_at_the_pixel_limit_is_over_the_allocation_bound() {
        let img = image::ImageBuffer::<image::Rgba<u16>, _>::new(4096, 4096);
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::Png).unwrap();
        let err = process(&out.into_inner()).unwrap_err();
        assert_eq!(err.code(), ErrorCode::ValidationFailed);
    }

    #[tokio::test]
    async fn the_decoder_runs_off_the_executor() {
        let decoder = Decoder::default();
        let (bytes, ct) = decoder.process(png(600, 600)).await.unwrap();
        assert_eq!(ct, "image/png");
        assert_eq!(image::load_from_memory(&bytes).unwrap().width(), 512);
    }

    #[test]
    fn refuses_other_content() {
        assert_eq!(
            process(b"GIF89a....").unwrap_err().code(),
            ErrorCode::UnsupportedMediaType
        );
        assert_eq!(
            process(b"\x89PNG\r\n\x1a\nbroken").unwrap_err().code(),
            ErrorCode::ValidationFailed
        );
    }
}
