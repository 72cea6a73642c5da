// SPDX-License-Identifier: LGPL-2.1-or-later
// The tiles in a columns x columns grid, a page of them at a time; one tile may fill the wall
// (maximised). `order` says which camera each slot shows (TileOrder): slot s is on page
// s / capacity. Tiles of other pages, and the others while one is maximised, are hidden: their
// cameras are then not decoded for display (CameraFeed.displayed).
import QtQuick
import ValkkaKiosk

Item {
    id: wall

    property alias cameras: tiles.model
    property int columns: 2
    property Playback playback
    property SoundOutput sound
    property PlaybackGaps gaps
    // Index of the maximised tile, -1 for none.
    property int maximised: -1
    // The camera of each slot (TileOrder.order); empty: camera i in slot i.
    property var order: []
    // The page of slots shown, 0..pages - 1.
    property int page: 0
    readonly property int pages: Math.max(1, Math.ceil(tiles.count / capacity))

    // The cameras of the page shown, in slot order (the timeline's lanes follow them).
    readonly property var pageCameras: {
        var out = []
        for (var s = page * capacity; s < Math.min(tiles.count, (page + 1) * capacity); s++)
            out.push(s < order.length ? order[s] : s)
        return out
    }

    function slotOf(camera) {
        for (var s = 0; s < order.length; s++)
            if (order[s] === camera)
                return s
        return camera
    }

    signal soundToggled()
    signal snapshotRequested(int camera)

    // The camera a snapshot (the S key) is of: the maximised tile's, else the one pointed at,
    // else a page's only one; -1 when none is chosen.
    function snapshotTarget() {
        if (maximised >= 0)
            return maximised
        for (let i = 0; i < tiles.count; i++) {
            const tile = tiles.itemAt(i)
            if (tile && tile.visible && tile.pointed)
                return i
        }
        return pageCameras.length === 1 ? pageCameras[0] : -1
    }

    // The 0 key: the maximised tile back to 1x.
    function resetZoom() {
        const tile = maximised >= 0 ? tiles.itemAt(maximised) : null
        if (tile)
            tile.resetZoom()
    }

    readonly property int capacity: columns * columns
    readonly property real cellWidth: width / columns
    readonly property real cellHeight: height / columns

    clip: true
    onColumnsChanged: {
        maximised = -1
        page = 0
    }

    Repeater {
        id: tiles

        delegate: Tile {
            required property int index
            required property CameraFeed feed

            readonly property bool isMaximised: wall.maximised === index
            readonly property int slot: wall.slotOf(index)
            readonly property int place: slot % wall.capacity

            cameraIndex: index
            camera: feed
            playback: wall.playback
            sound: wall.sound
            gaps: wall.gaps
            maximised: isMaximised
            visible: wall.maximised >= 0 ? isMaximised
                                         : Math.floor(slot / wall.capacity) === wall.page
            x: isMaximised ? 0 : (place % wall.columns) * wall.cellWidth
            y: isMaximised ? 0 : Math.floor(place / wall.columns) * wall.cellHeight
            width: isMaximised ? wall.width : wall.cellWidth
            height: isMaximised ? wall.height : wall.cellHeight
            onMaximiseToggled: wall.maximised = isMaximised ? -1 : index
            onSoundToggled: wall.soundToggled()
            onSnapshotRequested: wall.snapshotRequested(index)
        }
    }
}
