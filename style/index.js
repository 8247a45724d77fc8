import './base.css';
import './about.css';
import './branding.css';
import './gallery.css';
import './netdrive.css';
import './gallery-panel.css';
