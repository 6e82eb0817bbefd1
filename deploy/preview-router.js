// The preview distribution's CloudFront Function (viewer request, cloudfront-js-2.0).
//
// https://pr-12.<PreviewDomain>/areas/abbey/ is served from the preview bucket's
// previews/pr-12/areas/abbey/index.html, so a preview's root-relative links work unchanged.
// Any other host (another domain, a port, PR-12, pr-012, pr-0) is answered 404, and so is a path
// that could step out of the pull request's folder (a '.' or '..' segment, plain or %-encoded,
// an encoded slash or backslash, an empty segment, a malformed escape) or reach sitegen's own files
// (/.sitegen..., however its letters are escaped: S3 decodes the key).
// Folder addresses get index.html and extensionless ones a slash, as the live site's function does.
//
// deploy/sitegen.yaml holds this file inline (PreviewRouterFunction), PREVIEW_DOMAIN set from its
// PreviewDomain parameter; tests/test_preview_router.py keeps the two the same and runs this file
// under Node.
var PREVIEW_DOMAIN = 'preview.example.org';
var LABEL = /^pr-[1-9][0-9]{0,5}$/;
var UNSAFE = /%2f|%5c|\\|\/\/|%00/i;
// The response headers policy's X-Robots-Tag covers answers from the cache and the bucket; answers
// made here carry their own.
var NOINDEX = { value: 'noindex, nofollow' };

function notFound() {
  return { statusCode: 404, statusDescription: 'Not Found', headers: { 'x-robots-tag': NOINDEX } };
}

// 'pr-12' for a host 'pr-12.<PREVIEW_DOMAIN>', else ''.
function pullRequestOf(host) {
  var suffix = '.' + PREVIEW_DOMAIN;
  if (host.length <= suffix.length || host.slice(-suffix.length) !== suffix) {
    return '';
  }
  var label = host.slice(0, host.length - suffix.length);
  return LABEL.test(label) ? label : '';
}

// SEGMENT with its escapes decoded, as S3 decodes a key ('/.s%69tegen-publish.json' is the publish
// state); null for a malformed escape.
function decoded(segment) {
  try {
    return decodeURIComponent(segment);
  } catch (e) {
    return null;
  }
}

// Whether URI names a file or folder inside the pull request's folder and not sitegen's own files
// (.sitegen-publish.json, .sitegen-build), tested on each segment decoded.
function safePath(uri) {
  if (uri.charAt(0) !== '/' || UNSAFE.test(uri)) {
    return false;
  }
  var segments = uri.slice(1).split('/');
  for (var i = 0; i < segments.length; i++) {
    var plain = decoded(segments[i]);
    if (plain === null || plain === '.' || plain === '..' || plain.indexOf('.sitegen') === 0 ||
        /[\/\\\u0000]/.test(plain)) {
      return false;
    }
  }
  return true;
}

function handler(event) {
  var request = event.request;
  var host = request.headers.host ? request.headers.host.value : '';
  var pr = pullRequestOf(host);
  var uri = request.uri;
  if (!pr || !safePath(uri)) {
    return notFound();
  }
  if (uri.endsWith('/')) {
    uri = uri + 'index.html';
  } else if (uri.split('/').pop().indexOf('.') === -1) {
    return { statusCode: 301, statusDescription: 'Moved Permanently',
             headers: { location: { value: uri + '/' }, 'x-robots-tag': NOINDEX } };
  }
  request.uri = '/previews/' + pr + uri;
  return request;
}
