#!/usr/bin/env python3
"""Seeds each fuzz target's corpus (fuzz/corpus/<target>/) from tests/fixtures/.

Targets that read a first "selector" byte (which URL, type or reader) get each fixture
with the byte that sends it to the reader it was written for. Run from anywhere; the
corpora are not committed.
"""
import glob
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "..", "tests", "fixtures")


def files(*patterns):
    out = []
    for pattern in patterns:
        out += [p for p in glob.glob(os.path.join(FIX, pattern), recursive=True) if os.path.isfile(p)]
    return sorted(set(out))


def json_files(*patterns):
    return [p for p in files(*patterns) if p.endswith(".json")]


# target -> list of (selector byte or None, paths)
SEEDS = {
    "html_page": [
        (0, files("jsonld/*.html", "opengraph/*.html", "gallery/*.html", "oembed/*.html",
                  "realworld/pages/**/*", "site/press.cnes.example/en/*",
                  "site/press.cnes.example/fr/*", "site/media.cnes.example/videos/*",
                  "site/media.cnes.example/live", "site/www.youtube.com/@CNES")),
        (2, files("opsis/doc_*.html")),
        (3, files("opsis/basket_*.html")),
        (4, files("flickr_keyless/*.html")),
        (5, files("opengraph/youtube_watch.html", "oembed/youtube_watch.html")),
    ],
    "release_text": [(0, files("releases/*")), (1, files("releases/*"))],
    "feed": [
        (0, files("feeds/*.rss", "realworld/feeds/*.xml", "site/**/*.rss", "site/vimeo.com/cnes/videos/rss")),
        (1, files("feeds/*.atom", "site/www.youtube.com/feeds/*.xml")),
        (5, files("feeds/flickr_photoset.rss")),
    ],
    "sitemap": [(0, files("sitemap/*.xml", "site/media.cnes.example/sitemap-platforms.xml"))],
    "flickr_api": [(None, json_files("flickr/*", "site/api.flickr.com/**/*", "realworld/flickr/**/*"))],
    "oembed": [(None, json_files("oembed/*", "site/vimeo.com/api/oembed/*"))],
    "youtube": [
        (1, json_files("site/www.googleapis.com/**/*")),
        (0, files("site/www.youtube.com/feeds/*.xml")),
    ],
    "dailymotion": [(None, json_files("site/api.dailymotion.com/**/*"))],
    "vimeo": [(1, json_files("site/api.vimeo.com/**/*")), (0, files("site/vimeo.com/cnes/videos/rss"))],
    "commons": [(None, json_files("site/commons.wikimedia.org/**/*"))],
    "nasa": [(None, json_files("site/images-api.nasa.gov/**/*", "site/images-assets.nasa.gov/**/*"))],
    "warc": [(None, files("realworld/warc/*.warc", "realworld/warc/*.warc.gz"))],
    "robots": [(None, files("site/*/robots.txt"))],
}

# Inline seeds for the targets no fixture file feeds.
INLINE = {
    "text": [b"\x002018-12-18", b"\x00Tue, 18 Dec 2018 15:37:00 +0100", b"\x0018/12/2018",
             b"\x01Launched on 18 December 2018 from Kourou", b"\x02<p>Photo <b>CNES</b> &amp; ESA</p>",
             b"\x03  a \t b \x1b[2J c "],
    "robots": [b"User-agent: *\nDisallow: /private/\nAllow: /private/ok\nCrawl-delay: 5\nSitemap: /sitemap.xml\n",
               b"User-agent: archive\nDisallow: /*.php$\n\nUser-agent: *\nDisallow: /\n"],
    "query": [b"\x00soyuz", b"\x41title:launch AND (vs20 OR cso) -fairing\nVS20\ncc by\n2018\n2019",
              b"\x20\"clean room\"~2 kind:video date:[2018-01-01 TO 2019-01-01]", b"\xffcreator:cnes*"],
    "release_text": [b"\x00Next Soyuz mission\n\nPhotos: https://www.flickr.com/photos/cnes/albums/72157704555614144\n\n#CSO #VS20\n",
                     b"\x01# Title\n\n[Photos](https://example.org/a) ![x](https://example.org/b.jpg)\n"],
}


def main():
    for target, groups in SEEDS.items():
        out = os.path.join(HERE, "corpus", target)
        os.makedirs(out, exist_ok=True)
        for selector, paths in groups:
            for path in paths:
                with open(path, "rb") as f:
                    body = f.read()
                if selector is not None:
                    body = bytes([selector]) + body
                name = f"{selector}-" + os.path.relpath(path, FIX).replace(os.sep, "_")
                with open(os.path.join(out, name), "wb") as f:
                    f.write(body)
    for target, seeds in INLINE.items():
        out = os.path.join(HERE, "corpus", target)
        os.makedirs(out, exist_ok=True)
        for n, body in enumerate(seeds):
            with open(os.path.join(out, f"inline-{n}"), "wb") as f:
                f.write(body)
    for target in sorted(os.listdir(os.path.join(HERE, "corpus"))):
        print(target, len(os.listdir(os.path.join(HERE, "corpus", target))), file=sys.stderr)


if __name__ == "__main__":
    main()
