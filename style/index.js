import './base.css';
import './about.css';
import './branding.css';
