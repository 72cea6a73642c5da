// SPDX-License-Identifier: LGPL-2.1-or-later
// The tiles in a columns x columns grid; one tile may fill the wall (maximised). Tiles that do
// not fit the layout, and the others while one is maximised, are hidden: their cameras are then
// not decoded for display (CameraFeed.displayed).
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

    signal soundToggled()

    readonly property int capacity: columns * columns
    readonly property real cellWidth: width / columns
    readonly property real cellHeight: height / columns

    clip: true
    onColumnsChanged: maximised = -1

    Repeater {
        id: tiles

        delegate: Tile {
            required property int index
            required property CameraFeed feed

            readonly property bool isMaximised: wall.maximised === index

            cameraIndex: index
            camera: feed
            playback: wall.playback
            sound: wall.sound
            gaps: wall.gaps
            visible: wall.maximised >= 0 ? isMaximised : index < wall.capacity
            x: isMaximised ? 0 : (index % wall.columns) * wall.cellWidth
            y: isMaximised ? 0 : Math.floor(index / wall.columns) * wall.cellHeight
            width: isMaximised ? wall.width : wall.cellWidth
            height: isMaximised ? wall.height : wall.cellHeight
            onMaximiseToggled: wall.maximised = isMaximised ? -1 : index
            onSoundToggled: wall.soundToggled()
        }
    }
}
