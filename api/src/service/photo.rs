//! Account photos: PNG or JPEG judged by content (not by the declared type), decoded with
//! limits (4096×4096 pixels, bounded memory), shrunk to at most 512×512 and re-encoded, which
//! drops every metadata chunk (EXIF, GPS, comments).

use std::io::Cursor;

use image::{ImageFormat, ImageReader, Limits};
use shared::ErrorCode;

use crate::error::{Error, Result};

pub const MAX_BYTES: usize = 1024 * 1024;
const MAX_PIXELS_SIDE: u32 = 4096;
const SERVED_SIDE: u32 = 512;

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
    limits.max_alloc = Some(256 * 1024 * 1024);
    reader.limits(limits);
    let image = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => Error::field("photo", "must be at most 4096×4096 pixels"),
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
