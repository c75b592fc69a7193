"""Press photos: accept only real raster images, strip their metadata, serve light renditions.

image = normalise(upload)            # raises ImageRejected, a ValidationError
name = store_master(image)           # images/ab/ab12.../original.jpg, stored once
generate_renditions(name)            # 320.avif, 320.webp, 320.jpg ... made once
picture(name, width=image.width, height=image.height)   # for <picture> in a template
"""

from news.images.renditions import (
    Picture,
    PictureSource,
    RegenerateResult,
    Rendition,
    RenditionSize,
    delete_image_files,
    format_sizes_report,
    generate_renditions,
    iter_masters,
    picture,
    regenerate_renditions,
    rendition_formats,
    rendition_widths,
    renditions,
    sizes_report,
    store_master,
)
from news.images.upload import (
    ImageRejected,
    NormalisedImage,
    UploadInfo,
    inspect_upload,
    normalise,
)

__all__ = [
    "ImageRejected",
    "NormalisedImage",
    "Picture",
    "PictureSource",
    "RegenerateResult",
    "Rendition",
    "RenditionSize",
    "UploadInfo",
    "delete_image_files",
    "format_sizes_report",
    "generate_renditions",
    "inspect_upload",
    "iter_masters",
    "normalise",
    "picture",
    "regenerate_renditions",
    "rendition_formats",
    "rendition_widths",
    "renditions",
    "sizes_report",
    "store_master",
]
