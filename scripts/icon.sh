#!/usr/bin/env bash
# Draws media/icon.png (the extension's icon: three workloads, two reachable links and one
# highlighted) with ImageMagick (apt-get install imagemagick). The PNG is committed; run this
# only to change it.
set -euo pipefail
cd "$(dirname "$0")/.."
convert -size 256x256 xc:none \
  -fill '#326CE5' -draw "roundrectangle 8,8 248,248 40,40" \
  -stroke white -strokewidth 12 -draw "line 68,80 188,80" -draw "line 68,80 128,188" \
  -stroke '#FFC83D' -draw "line 188,80 128,188" \
  -stroke none -fill white -draw "circle 68,80 68,108" -draw "circle 188,80 188,108" \
  -fill '#FFC83D' -draw "circle 128,188 128,216" \
  -fill '#326CE5' -draw "circle 68,80 68,94" -draw "circle 188,80 188,94" -draw "circle 128,188 128,202" \
  -depth 8 -strip media/icon.png
