//! Flickr: albums and photos read through the REST API.

pub mod urls;
