/**
 * What rewiring records of a network's activity: the recorder that reads each G2G unit's input on the steps
 * before an event ({@link org.g2gnet.activity.ActivityRecorder}, through the small view a unit offers of itself,
 * {@link org.g2gnet.activity.ActivitySource}), the Hebbian co-activity statistics it keeps per unit
 * ({@link org.g2gnet.activity.HebbianStats}) and, for a convolution, its activation maps pooled per channel
 * ({@link org.g2gnet.activity.ChannelMaps}). Used by {@code org.g2gnet.rewiring}; depends on neither the layers
 * nor rewiring (the layers implement {@code ActivitySource}), only on {@code org.g2gnet.arrays}.
 */
package org.g2gnet.activity;
