/*
 * Page-wide events between Atrium plugins that must not import each other (each can be
 * disabled alone): a plain DOM event on `window` costs nothing when nobody listens.
 */

/**
 * Dispatched after the user's server accepted a batch of execution records: the health
 * of gallery notebooks shown on this page may have changed.
 */
export const HEALTH_REPORTED_EVENT = 'atrium:health-reported';
